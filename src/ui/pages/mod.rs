//! The app's pages: the Learn page (`home`), a lesson as a student takes it (`lesson`), the
//! teacher's lesson editor (`editor`) and "My projects" (`projects`).

pub mod editor;
pub mod home;
pub mod lesson;
pub mod projects;
