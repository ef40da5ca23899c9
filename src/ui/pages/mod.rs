//! The app's pages (the Learn pages are `home`, `lesson_view` and `editor`, to move here).

pub mod projects;
