## Projects

proj-picker-label = Project{" "}
proj-rename-hint = Rename this project
proj-new = New project
proj-delete = Delete project
proj-delete-confirm = Delete the project "{ $name }" with all its drawings? (You can undo this.)
proj-export = Export
proj-import = Import…{" "}
proj-deleted = Project deleted.{" "}
proj-undo = Undo
proj-not-imported = "{ $file }" was not imported: { $error }
proj-default-name = Project { $number }

## Classes

class-title = Classes
class-new-placeholder = New class name
class-add = Add class
class-delete = Delete
class-delete-title = Delete class
class-delete-example = Delete this example
class-delete-confirm = Delete the class "{ $name }" and its examples?
class-choose-first = Choose a class first.
class-default-name = class { $number }

## Drawing

pad-draw-example = Draw an example of{" "}
pad-add-example = Add example
pad-undo = Undo stroke
pad-clear = Clear
pad-unreadable = Cannot read that drawing: { $error }

## Test pad

test-title = Test your model
test-hint = Draw here to see what your model thinks.
test-answered-tuned = Answered by your improved model.
test-answered-averages = Answered by your examples' averages.
test-nearest = Most like these of your examples:
test-need-examples = Draw some examples first, then test.

## Improve (fine-tuning)

improve-button = Improve
improve-cancel = Cancel
improve-cannot = Cannot improve yet: { $error }. Give every class an example.
improve-failed = Improving failed: { $error }
improve-done = Improved in { $steps } steps ({ $ms } ms a step, on the CPU).
improve-cancelled = Improving was cancelled; the model is as before.
improve-loss = loss { $loss }

## Evaluation

eval-title = How good is your model?
eval-hint = Each of your examples is hidden in turn and judged by the others.
eval-button = Evaluate
eval-need-examples = Give at least one class two examples, then evaluate.
eval-accuracy = Accuracy:{" "}
eval-accuracy-of = {" "}of { $count } examples
eval-col-class = class
eval-col-precision = precision
eval-col-recall = recall
eval-col-examples = examples
eval-cell = drawn { $drawn }, answered { $answered }: { $count }
eval-matrix-hint = Rows: what you drew. Columns: what the model said.

## Storage

store-problem = { $error }. Your work is kept on this page and Inkling keeps trying to save it; to be safe, export the project now.
store-export-now = Export now
store-profile-needs-name = A profile needs a name.
store-new-needs-store = A new project needs saving on this device, which is not available here.
store-import-needs-store = Importing needs saving on this device, which is not available here.

## Files

file-imported = Imported "{ $name }".
file-download-failed = the download could not start: { $error }
file-no-document = no document
file-none-chosen = no file was chosen
file-unreadable = the file could not be read: { $error }

## Text projects
proj-new-text = New text project (English)
proj-new-text-chinese = New text project (Chinese and English)
proj-new-text-chinese-hint = Its model reads Chinese and English sentences (a 61 MB download, once); English alone is read best by the English one.
text-reads-english-only = This project's model reads English: Chinese sentences are barely understood. For Chinese, start a “New text project (Chinese and English)”.
text-write-example = Write an example sentence of{" "}
text-example-placeholder = Type a sentence…
text-test-placeholder = Type a sentence to test your model…
text-model-downloading = Downloading the sentence model: { $done } of { $total } MB (only once: it is kept for offline use)
text-model-ready = The sentence model is ready ({ $mb } MB, { $seconds } s).
text-model-failed = The sentence model could not be loaded: { $error }
text-model-stopped = The sentence model stopped ({ $error }); it starts again when needed.
text-model-not-ready = The sentence model is still loading; try again in a moment.
tab-elsewhere = Inkling is open in another tab or window. It saves in one place at a time, so that nothing is lost.
tab-use-here = Use Inkling here
tab-waiting = Waiting for the other tab to finish saving…
store-blocked = Waiting for Inkling in another tab to close (it is an older version)…
store-upgraded = A newer Inkling opened in another tab. Reload this page to go on: everything is saved.
reload = Reload
crash-title = Something went wrong.
crash-saved = Your work is saved on this device. Reload the page to go on.
crash-unsaved = Your latest change may not be saved. Reload the page to go on.
file-too-big = { $file } is { $bytes } bytes; Inkling reads files of at most { $limit } bytes.

## Sharing with the class (federated learning)
class-section-title = Your class
share-title = Share with the class
share-hint = Your class can learn from everyone's examples without anyone's drawings or sentences leaving their device. The file you share holds only numbers the model computed from your examples, and your class names.
share-min-examples = Share a class only if it has at least this many examples:
share-privacy = Privacy:
share-privacy-off = No added noise
share-privacy-epsilon = Differential privacy, ε = { $epsilon }, δ = { $delta }
share-privacy-explained = Noise is added so that the file says almost nothing about any one of your examples (ε = { $epsilon }, δ = { $delta }; smaller ε: more private). With only a few examples the noise hides them entirely, and the class model learns little from them.
share-privacy-none = No noise added: the sums are exact.
share-prepare = Prepare the file
share-download = Download the file
share-wait-embeddings = Some examples are still being learned; try again in a moment.
share-nothing = Add some examples first: there is nothing to share yet.
share-needs-store = Sharing needs saving on this device, which is not available here.
share-holds = What leaves this device, per class: the sum of its examples' embeddings ({ $dim } numbers) and how many there are. No drawing, no sentence, no name of yours.
share-col-examples = your examples
share-col-in-file = in the file
share-class-shared = shared: { $count } examples
share-class-kept = not shared (fewer than { $min })
share-head-included = The fine-tuned model is included (trained on { $examples } examples).
share-head-not-included = No fine-tuned model is included.
share-contributor = Contributor id: { $id } (random; every file of this project carries it, so a newer one replaces the older one).
share-size = File size: { $kb } KB.
share-show-file = Show the file
model-file-title = Your model as a file
model-file-hint = Export the model to use it anywhere (inkling predict), or use a class model: it answers before you have taught anything, and your own examples count more and more as you add them.
model-export = Export model
model-export-need-examples = Add some examples (or use a class model) first.
class-model-use = Use a class model:
class-model-in-use = Using a class model from { $contributors } contributors; it knows { $covered } of your { $classes } classes.
class-model-remove = Stop using it
class-model-refused = "{ $file }" is not a model Inkling can use: { $error }
class-model-used = Using "{ $file }" as your class model ({ $covered } of { $classes } classes).
class-model-other-kind = "{ $file }" is a model of another kind of project (drawings or sentences).
class-model-other-encoder = "{ $file }" was made by another version of Inkling's model; it cannot be used here.
class-model-no-class = "{ $file }" knows none of this project's classes (they are matched by name).
class-model-unreadable = The class model kept with this project could not be read ({ $error }); it is left as it is and not used.
class-model-stale = The class model kept with this project was made for another version of Inkling's model; it is kept but not used. Use a new class model file.
class-model-none-yet = The class model has no class yet: the files shared too few examples.
class-gather-title = Gather the class
class-hint = Drop the files your students shared (and pool files from other devices) here. Each is added whole or refused with the reason; the class model becomes this project's model.
class-drop = Drop shared files here, or choose them:
class-mode = Class model:
class-mode-pooled = everyone's examples together (exact)
class-mode-median = median over students (robust to a bad file)
class-mode-trimmed = trimmed mean over students (robust)
class-download-pool = Download the gathered files as one
class-students = { $students } students shared.
class-col-students = students
class-col-examples = examples
class-file-added = added
class-file-replaced = added; it replaces an older file of the same student
class-file-older = not added: a newer file of this student is already here
class-file-pool = a gathered pool: { $gained } new or newer files
class-file-refused = refused: { $error }
class-pool-set-aside = The gathered files kept on this device could not be read ({ $error }); they are kept aside and gathering starts again.
class-pool-unreadable = The gathered files could not be read from this device ({ $error }); nothing can be gathered until they can.
class-pool-project-changed = Another project was opened while the files were read: nothing was gathered. Drop them again on the project they are for.
class-pool-other-classes = These files were gathered for the classes { $classes }. A file with another class is refused; the class model answers for this project's classes of the same names.
class-pool-not-saved = The gathered files could not be saved on this device ({ $error }): download them to keep them.
file-too-many = not read: at most { $most } files ({ $mb } MB) at once
