//! A student's personal model and the open project it learns from. Pure (no web types), so
//! every rule the app follows is tested natively:
//!
//! - [`model`]: the training set of a project (its examples that have an embedding, in project
//!   order), the model (prototypes, plus a fine-tuned head while it still matches the examples
//!   it was trained on), answers with the top classes and the nearest own examples,
//!   leave-one-out evaluation, and the model as a store record.
//! - [`file`]: a model as one file (`inkling-model`): a project's model or a class model,
//!   exported, imported as a project's class model, and run by `inkling predict`.
//! - [`open`]: [`open::OpenProject`], the one owner of the open project's state. Every change
//!   is applied to it as it is when the change lands, named by project and example id; work that
//!   finished for another project (an embedding, a trained head) never touches the open one.

pub mod file;
pub mod model;
pub mod open;

pub use file::{ModelAnswer, ModelFile, ModelFileError, PriorMismatch};
pub use model::{Answer, PersonalModel, Ranked, TrainingSet, Tuned};
pub use open::{Landed, OpenProject, Opens, ProjectId, Turn};
