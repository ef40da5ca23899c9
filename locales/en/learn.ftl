## Lists and quotes in sentences (lesson titles and concept names are the lesson's own words)
list-separator = {", "}
quoted = "{ $text }"

## What next (home screen)
home-what-next = What next
home-what-you-know = What you know
home-lessons = Lessons
next-review = { $count ->
    [one] { $count } practised item is due for review: reviewing at the right time keeps it.
   *[other] { $count } practised items are due for review: reviewing at the right time keeps them.
}
next-from-the-start = { $lesson } starts from the beginning and teaches { $teaches }.
next-prerequisites-mastered = You have mastered { $mastered }, so { $lesson } is next: it teaches { $teaches }.
next-needs-first = { $lesson } needs { $missing } first.
next-review-button = Review
next-start = Start

## Students (profiles)
profile-student = Student:
profile-new-name = New student's name
profile-add = Add student
profile-export = Export this student
profile-import = Import a student…

## Lessons on the home screen and the concept map
lessons-open = Open
lessons-teaching = teaching "{ $concept }"
lessons-show-all = Show all
lessons-new = New lesson (for teachers)
lessons-drop = Import a lesson: drop its file here, or
concept-known = { $percent }% known

## A lesson as a student takes it
lesson-missing = This lesson is not on this device.
lesson-home = ← Home
quiz-done = Quiz done.
quiz-check = Check
quiz-right = Right.
quiz-not-quite = Not quite.
quiz-next = Next
practice-write = Write:
practice-check = Check
practice-right = Right!
practice-looks-like = That looks like { $glyph }.
practice-correct-me = But I wrote the right one
practice-corrected = Thanks: your model now knows this way of writing it.
practice-unreadable = That drawing could not be read.
practice-next = Next
metric-accuracy = accuracy
metric-macro-f1 = macro F1
teach-target = Target: { $metric } of at least { $percent }% on your own drawings.
teach-start = Start a project with these classes
teach-check = Check this task's project
teach-score = { $metric }: { $percent }%.
teach-reached = Target reached!
teach-start-first = Start this task's project first (the button above), then teach it: the check scores that project.
teach-not-yet = Not yet: add more varied examples.

## Lessons and students on this device (messages)
lesson-unreadable = The lesson "{ $lesson }" could not be read: { $error }
lesson-imported = Imported the lesson "{ $title }".
lesson-saved = Saved the lesson "{ $title }".
lesson-not-saved = The lesson could not be saved: { $error }
file-not-imported = "{ $file }" was not imported: { $error }
profile-export-needs-store = Without saving on this device, export the project instead.
profile-import-needs-store = Importing a student needs saving on this device.
profile-imported = Imported the student "{ $name }".
profile-not-imported = The student could not be imported: { $error }
profile-not-saved = The student's choice could not be saved: { $error }
progress-not-saved = Progress could not be saved: { $error }
lessons-edit = Edit
lessons-edit-hint = Change this lesson (for teachers); students keep their progress.

## The teacher's editor
editor-new = New lesson
editor-editing = Edit lesson
editor-title = Title
editor-description = Description
editor-language = Language of the lesson
editor-concept = What it teaches (concept)
editor-concept-placeholder = the title
editor-requires = Students should know first
editor-custom-mastery = Its own mastery model (BKT)
editor-mastery-hint = How quickly answers count as mastery; without it, the defaults (prior 0.1, learn 0.2, slip 0.1, guess 0.2).
editor-mastery-prior = Known at the start (prior)
editor-mastery-learn = Learned at each try (learn)
editor-mastery-slip = Wrong though known (slip, below 0.5)
editor-mastery-guess = Right though not known (guess, below 0.5)
editor-tasks = Tasks
editor-kind-practice = Handwriting practice: the glyphs, each with your reference drawings.
editor-kind-teach = Teach task: students draw these classes and train their own model to the target.
editor-kind-quiz = Quiz questions.
editor-remove-task = Remove task
editor-remove-glyph = Remove this glyph
editor-remove-question = Remove this question
editor-rounds = Prompts per round
editor-target = Target:
editor-add-practice = Add a practice task
editor-add-teach = Add a teach task
editor-tasks-hint = Click a task to add glyphs or questions to it.
editor-add-quiz = Add a quiz
editor-glyphs = Glyphs to practise
editor-glyph-name = Glyph name
editor-add-glyph = Add glyph
editor-draw-reference = Draw a reference for the chosen glyph:
editor-add-reference = Add reference drawing
editor-choose-glyph = Choose a glyph first.
editor-questions = Questions
editor-question = Question
editor-options = Options (or accepted answers), separated by |
editor-right-option = Right option (1, 2, ...)
editor-explanation = Why (shown after the answer)
editor-add-choice = Add choice question
editor-add-free = Add free-answer question
editor-ready = The lesson is ready.
editor-save = Save
editor-preview = Preview as a student
editor-export = Export lesson pack
editor-default-practice-title = Write the glyph
editor-default-practice-instructions = Write the glyph you are asked for.
editor-default-teach-title = Teach your model
editor-default-teach-instructions = Draw each class a few times, then check your model.
editor-default-quiz-title = Questions
practice-write-sentence = Write a sentence of:
editor-write-sentence = Or, for a text task, type a reference sentence of the chosen glyph's class:
editor-add-sentence = Add sentence

# The stored learner record could not be read (src/ui/learning.rs).
learner-set-aside = Your learning record could not be read ({ $error }). It is kept aside, unchanged, and your progress was rebuilt from your { $outcomes } answers (corrected handwriting is in the kept copy).
learner-not-read = Your learning record could not be read just now ({ $error }). Nothing in it was changed; Inkling keeps trying, and what you do meanwhile is kept and added to it once it is read.
learner-change-waits = Kept: this is added to your learning record as soon as the record can be read.
profile-export-waits = Your learning record has not been read yet; export again in a moment.
profile-not-exported = The student was not exported: part of their work could not be read ({ $error }). Nothing is lost; try again in a moment.
