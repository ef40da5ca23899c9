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
improve-moved-to-cpu = 改进时 WebGPU 停止工作。Inkling 现在在 CPU 上运行，你的示例都还在：请再按一次“改进”。
improve-done = 改进完成，共 { $steps } 步（在 { $backend } 上每步 { $ms } 毫秒）。
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
proj-new-text = 新建文本项目
text-write-example = 为这个类别写一个例句：
text-example-placeholder = 输入一个句子…
text-test-placeholder = 输入一个句子来测试你的模型…
text-model-downloading = 正在下载句子模型：{ $done } / { $total } MB（只需一次，之后可离线使用）
text-model-ready = 句子模型已就绪（{ $mb } MB，{ $seconds } 秒）。
text-model-failed = 无法加载句子模型：{ $error }
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
