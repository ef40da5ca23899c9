## Projects

proj-picker-label = 项目：
proj-rename-hint = 给这个项目改名
proj-new = 新建项目
proj-delete = 删除项目
proj-delete-confirm = 要删除项目“{ $name }”和里面所有的画吗？（删除后还可以撤销。）
proj-export = 导出
proj-import = 导入…{" "}
proj-deleted = 项目已删除。
proj-undo = 撤销
proj-not-imported = “{ $file }”没有导入：{ $error }
proj-default-name = 项目 { $number }

## Classes

class-title = 类别
class-new-placeholder = 新类别的名字
class-add = 添加类别
class-delete = 删除
class-delete-title = 删除这个类别
class-delete-example = 删除这个例子
class-delete-confirm = 要删除类别“{ $name }”和它的所有例子吗？
class-choose-first = 请先选一个类别。
class-default-name = 类别 { $number }

## Drawing

pad-draw-example = 为这个类别画一个例子：
pad-add-example = 添加例子
pad-undo = 撤销一笔
pad-clear = 清空
pad-unreadable = 没法识别这幅画：{ $error }

## Test pad

test-title = 测试你的模型
test-hint = 在这里画画，看看你的模型怎么想。
test-answered-tuned = 这是改进后的模型给出的答案。
test-answered-averages = 这是根据你的例子的平均值给出的答案。
test-nearest = 和你的这些例子最像：
test-need-examples = 先画一些例子，再来测试。

## Improve (fine-tuning)

improve-button = 改进
improve-cancel = 取消
improve-cannot = 现在还不能改进：{ $error }。请给每个类别至少画一个例子。
improve-failed = 改进失败：{ $error }
improve-done = 改进完成，共 { $steps } 步（在 CPU 上每步 { $ms } 毫秒）。
improve-cancelled = 已取消改进，模型和之前一样。
improve-loss = 损失 { $loss }

## Evaluation

eval-title = 你的模型有多准？
eval-hint = 依次把你的每个例子藏起来，让模型根据其余的例子来判断它。
eval-button = 评估
eval-need-examples = 至少给一个类别画两个例子，再来评估。
eval-accuracy = 准确率：
eval-accuracy-of = （共 { $count } 个例子）
eval-col-class = 类别
eval-col-precision = 精确率
eval-col-recall = 召回率
eval-col-examples = 例子数
eval-cell = 画的是 { $drawn }，模型答 { $answered }：{ $count }
eval-matrix-hint = 行：你画的是什么。列：模型说的是什么。

## Storage

store-problem = { $error }。你的作品保留在这个页面上，Inkling 会继续尝试保存；为了安全，请现在导出项目。
store-export-now = 立即导出
store-profile-needs-name = 请给这个档案起个名字。
store-new-needs-store = 新建项目需要保存在这台设备上，但这里无法保存。
store-import-needs-store = 导入需要保存在这台设备上，但这里无法保存。

## Files

file-imported = 已导入“{ $name }”。
file-download-failed = 下载无法开始：{ $error }
file-no-document = 找不到页面文档
file-none-chosen = 没有选择文件
file-unreadable = 无法读取这个文件：{ $error }

## Text projects
proj-new-text = 新建文本项目（英文）
proj-new-text-chinese = 新建文本项目（中文和英文）
proj-new-text-chinese-hint = 它的模型能读懂中文和英文句子（需下载一次，61 MB）；只用英文时，英文模型读得更好。
text-reads-english-only = 这个项目的模型只读懂英文，中文句子它几乎读不懂。要用中文，请点“新建文本项目（中文和英文）”。
text-write-example = 为这个类别写一个例句：
text-example-placeholder = 输入一个句子…
text-test-placeholder = 输入一个句子来测试你的模型…
text-model-downloading = 正在下载句子模型：{ $done } / { $total } MB（只需一次，之后可离线使用）
text-model-ready = 句子模型已就绪（{ $mb } MB，{ $seconds } 秒）。
text-model-failed = 无法加载句子模型：{ $error }
text-model-stopped = 句子模型已停止（{ $error }），需要时会重新启动。
text-model-not-ready = 句子模型仍在加载，请稍后再试。
tab-elsewhere = Inkling 已在另一个标签页或窗口中打开。为了不丢失任何内容，它每次只在一个地方保存。
tab-use-here = 在这里使用 Inkling
tab-waiting = 正在等待另一个标签页保存完毕…
store-blocked = 正在等待另一个标签页中的 Inkling 关闭（那是旧版本）…
store-upgraded = 另一个标签页打开了更新版本的 Inkling。请重新加载此页面继续：所有内容都已保存。
reload = 重新加载
crash-title = 出错了。
crash-saved = 你的作品已保存在这台设备上。请重新加载页面继续。
crash-unsaved = 你最近的更改可能没有保存。请重新加载页面继续。
file-too-big = { $file } 有 { $bytes } 字节；Inkling 最多读取 { $limit } 字节的文件。

## 与全班分享（联邦学习）
class-section-title = 你的班级
share-title = 与全班分享
share-hint = 全班可以从每个人的例子中学习，而任何人的图画或句子都不会离开自己的设备。你分享的文件只包含模型根据你的例子算出的数字和你的类别名称。
share-min-examples = 一个类别至少有这么多例子才分享：
share-privacy = 隐私：
share-privacy-off = 不加噪声
share-privacy-epsilon = 差分隐私，ε = { $epsilon }，δ = { $delta }
share-privacy-explained = 文件中会加入噪声，使它几乎不透露你的任何一个例子（ε = { $epsilon }，δ = { $delta }；ε 越小越私密）。例子很少时，噪声会完全掩盖它们，班级模型也就从中学到很少。
share-privacy-none = 不加噪声：总和是精确的。
share-prepare = 准备文件
share-download = 下载文件
share-wait-embeddings = 还有例子正在学习中，请稍后再试。
share-nothing = 请先添加一些例子：现在还没有可以分享的内容。
share-needs-store = 分享需要在本设备上保存，但这里无法保存。
share-holds = 每个类别离开本设备的内容：它的例子的嵌入之和（{ $dim } 个数字）和例子的数量。没有你的图画、句子或名字。
share-col-examples = 你的例子
share-col-in-file = 文件中
share-class-shared = 已分享：{ $count } 个例子
share-class-kept = 不分享（少于 { $min } 个）
share-head-included = 包含微调后的模型（用 { $examples } 个例子训练）。
share-head-not-included = 不包含微调后的模型。
share-contributor = 贡献者编号：{ $id }（随机生成；这个项目的每个文件都带着它，所以新文件会替换旧文件）。
share-size = 文件大小：{ $kb } KB。
share-show-file = 显示文件内容
model-file-title = 模型文件
model-file-hint = 导出模型以便在任何地方使用（inkling predict），或使用班级模型：你还没教任何东西时它就能回答，你添加的例子越多，它们的分量就越大。
model-export = 导出模型
model-export-need-examples = 请先添加一些例子（或使用班级模型）。
class-model-use = 使用班级模型：
class-model-in-use = 正在使用来自 { $contributors } 位贡献者的班级模型；它认识你 { $classes } 个类别中的 { $covered } 个。
class-model-remove = 停止使用
class-model-refused = “{ $file }”不是 Inkling 能使用的模型：{ $error }
class-model-used = 正在使用“{ $file }”作为班级模型（{ $classes } 个类别中的 { $covered } 个）。
class-model-other-kind = “{ $file }”是另一种项目的模型（图画或句子）。
class-model-other-encoder = “{ $file }”由另一版本的 Inkling 模型生成，这里无法使用。
class-model-no-class = “{ $file }”不认识这个项目的任何类别（按名称匹配）。
class-model-unreadable = 这个项目保存的班级模型无法读取（{ $error }）；它保持原样，不会被使用。
class-model-stale = 这个项目保存的班级模型是为另一版本的 Inkling 模型生成的；它被保留，但不会被使用。请使用新的班级模型文件。
class-model-none-yet = 班级模型还没有任何类别：分享的文件中例子太少。
class-gather-title = 汇集全班
class-hint = 把学生分享的文件（以及其他设备汇集的文件）拖到这里。每个文件要么完整加入，要么被拒绝并说明原因；班级模型会成为这个项目的模型。
class-drop = 把分享的文件拖到这里，或选择文件：
class-mode = 班级模型：
class-mode-pooled = 所有人的例子合在一起（精确）
class-mode-median = 学生之间的中位数（不怕坏文件）
class-mode-trimmed = 学生之间的截尾平均（稳健）
class-download-pool = 把汇集的文件下载为一个文件
class-students = 共有 { $students } 位学生分享。
class-col-students = 学生
class-col-examples = 例子
class-file-added = 已加入
class-file-replaced = 已加入；它替换了同一学生的旧文件
class-file-older = 未加入：已有这位学生更新的文件
class-file-pool = 汇集文件：{ $gained } 个新的或更新的文件
class-file-refused = 被拒绝：{ $error }
class-pool-set-aside = 本设备保存的汇集文件无法读取（{ $error }）；它们已被另外保存，汇集重新开始。
class-pool-unreadable = 无法从本设备读取汇集的文件（{ $error }）；在能读取之前无法汇集。
class-pool-project-changed = 读取文件时打开了另一个项目：没有汇集任何内容。请把它们再次拖到对应的项目上。
class-pool-other-classes = 这些文件是为类别 { $classes } 汇集的。含有其他类别的文件会被拒绝；班级模型为这个项目中同名的类别作答。
class-pool-not-saved = 汇集的文件无法保存在本设备上（{ $error }）：请下载以保留它们。
file-too-many = 未读取：一次最多 { $most } 个文件（{ $mb } MB）
