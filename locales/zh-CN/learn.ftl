## 句中的列表和引号（课程标题和概念名称用课程自己的语言）
list-separator = 、
quoted = “{ $text }”

## 接下来做什么（首页）
home-what-next = 接下来做什么
home-what-you-know = 你已经知道的
home-lessons = 课程
next-review = 有 { $count } 个练过的内容该复习了：在合适的时候复习，才能记得牢。
next-from-the-start = { $lesson }从零开始，讲{ $teaches }。
next-prerequisites-mastered = 你已经掌握了{ $mastered }，所以下一课是{ $lesson }：它讲{ $teaches }。
next-needs-first = 学{ $lesson }之前，要先掌握{ $missing }。
next-review-button = 复习
next-start = 开始

## 学生（档案）
profile-student = 学生：
profile-new-name = 新学生的名字
profile-add = 添加学生
profile-export = 导出这个学生
profile-import = 导入学生…

## 首页上的课程和概念图
lessons-open = 打开
lessons-teaching = 讲“{ $concept }”的
lessons-show-all = 显示全部
lessons-new = 新建课程（教师用）
lessons-drop = 导入课程：把文件拖到这里，或者
concept-known = 掌握 { $percent }%

## 学生上课
lesson-missing = 这台设备上没有这门课程。
lesson-home = ← 首页
quiz-done = 测验完成。
quiz-check = 检查
quiz-right = 答对了。
quiz-not-quite = 不太对。
quiz-next = 下一题
practice-write = 请写：
practice-check = 检查
practice-right = 写对了！
practice-looks-like = 这看起来像 { $glyph }。
practice-correct-me = 可是我写的是对的
practice-corrected = 谢谢：你的模型现在认识你的这种写法了。
practice-unreadable = 无法识别这幅图。
practice-next = 下一个
metric-accuracy = 准确率
metric-macro-f1 = 宏平均 F1
teach-target = 目标：在你自己画的图上，{ $metric }至少达到 { $percent }%。
teach-start = 用这些类别新建一个项目
teach-check = 检查这个任务的项目
teach-score = { $metric }：{ $percent }%。
teach-reached = 达到目标了！
teach-start-first = 先用上面的按钮新建这个任务的项目，再教它：检查的是那个项目。
teach-not-yet = 还没有：再加一些不一样的例子吧。

## 这台设备上的课程和学生（提示信息）
lesson-unreadable = 无法读取课程“{ $lesson }”：{ $error }
lesson-imported = 已导入课程“{ $title }”。
lesson-saved = 已保存课程“{ $title }”。
lesson-not-saved = 无法保存课程：{ $error }
file-not-imported = “{ $file }”没有导入：{ $error }
profile-export-needs-store = 这台设备不能保存数据，请改为导出项目。
profile-import-needs-store = 导入学生需要能在这台设备上保存数据。
profile-imported = 已导入学生“{ $name }”。
profile-not-imported = 无法导入这个学生：{ $error }
profile-not-saved = 无法保存这个学生的设置：{ $error }
progress-not-saved = 无法保存学习进度：{ $error }
lessons-edit = 编辑
lessons-edit-hint = 修改这门课程（教师用）；学生的学习进度会保留。

## 教师的课程编辑器
editor-new = 新建课程
editor-editing = 编辑课程
editor-title = 标题
editor-description = 简介
editor-language = 课程语言
editor-concept = 教的内容（概念）
editor-concept-placeholder = 与标题相同
editor-requires = 学生需要先掌握
editor-custom-mastery = 使用自己的掌握度模型（BKT）
editor-mastery-hint = 决定答题多快算作掌握；不设置时使用默认值（初始 0.1，学会 0.2，失误 0.1，猜对 0.2）。
editor-mastery-prior = 一开始就会的概率（初始）
editor-mastery-learn = 每次练习学会的概率（学会）
editor-mastery-slip = 会了却答错的概率（失误，小于 0.5）
editor-mastery-guess = 不会却答对的概率（猜对，小于 0.5）
editor-tasks = 任务
editor-kind-practice = 书写练习：每个字符都配有你画的参考图。
editor-kind-teach = 教学任务：学生画这些类别，训练自己的模型，直到达到目标。
editor-kind-quiz = 测验题。
editor-remove-task = 删除任务
editor-remove-glyph = 删除这个字符
editor-remove-question = 删除这道题
editor-rounds = 每轮提问次数
editor-target = 目标：
editor-add-practice = 添加书写练习
editor-add-teach = 添加教学任务
editor-tasks-hint = 点击一个任务，把字符或题目加到这个任务里。
editor-add-quiz = 添加测验
editor-glyphs = 要练习的字符
editor-glyph-name = 字符名称
editor-add-glyph = 添加字符
editor-draw-reference = 为选中的字符画一幅参考图：
editor-add-reference = 添加参考图
editor-choose-glyph = 请先选择一个字符。
editor-questions = 题目
editor-question = 题目
editor-options = 选项（或可接受的答案），用 | 分隔
editor-right-option = 正确选项（1、2……）
editor-explanation = 解释（答题后显示）
editor-add-choice = 添加选择题
editor-add-free = 添加问答题
editor-ready = 课程已经准备好了。
editor-save = 保存
editor-preview = 以学生身份预览
editor-export = 导出课程包
editor-default-practice-title = 写字符
editor-default-practice-instructions = 写出要求的字符。
editor-default-teach-title = 教你的模型
editor-default-teach-instructions = 每个类别画几次，然后检查你的模型。
editor-default-quiz-title = 题目
practice-write-sentence = 写一个属于这一类的句子：
editor-write-sentence = 或者，对于文本任务，为所选类别输入一个参考句子：
editor-add-sentence = 添加句子

# The stored learner record could not be read (src/ui/learning.rs).
learner-set-aside = 无法读取你的学习记录（{ $error }）。它已原样另存，你的进度已根据你的 { $outcomes } 次作答重建（更正过的笔迹在另存的副本里）。
learner-not-read = 暂时无法读取你的学习记录（{ $error }）。记录里的内容没有任何改动；Inkling 会继续尝试，在此期间你做的事都会保留，读取后再加入记录。
learner-change-waits = 已保留：一旦能读取你的学习记录，就会加入其中。
profile-export-waits = 还没有读取到你的学习记录；请稍后再导出。
profile-not-exported = 没有导出这个学生：有一部分内容无法读取（{ $error }）。没有任何内容丢失，请稍后再试。
