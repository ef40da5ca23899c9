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
improve-moved-to-cpu = WebGPU stopped working while improving. Inkling now runs on the CPU and your examples are all kept: press Improve again.
improve-done = Improved in { $steps } steps ({ $ms } ms a step on { $backend }).
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
proj-new-text = New text project
text-write-example = Write an example sentence of{" "}
text-example-placeholder = Type a sentence…
text-test-placeholder = Type a sentence to test your model…
text-model-downloading = Downloading the sentence model: { $done } of { $total } MB (only once: it is kept for offline use)
text-model-ready = The sentence model is ready ({ $mb } MB, { $seconds } s).
text-model-failed = The sentence model could not be loaded: { $error }
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
