//! Pieces of the pages, one component per file.

pub mod class_item;
pub mod evaluation;
pub mod example_view;
pub mod loss_curve;
pub mod prediction_panel;
pub mod sentence_box;
