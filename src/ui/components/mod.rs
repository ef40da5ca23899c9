//! Pieces of the pages, one component per file.

pub mod class_item;
pub mod class_list;
pub mod class_panel;
pub mod evaluation;
pub mod example_view;
pub mod improve_panel;
pub mod loss_curve;
pub mod model_file_panel;
pub mod prediction_panel;
pub mod sentence_box;
pub mod settings;
pub mod share_panel;
pub mod teach_panel;
pub mod test_panel;
