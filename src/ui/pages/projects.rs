//! "My projects": the open project's classes, the teach pad and "Improve", the test pad with
//! its answer, the evaluation and the settings, and the class: sharing with it, gathering it,
//! and the model as a file.
//!
//! Every change to the project goes through `Workspace::edit` at the moment it is made; what
//! takes time (embeddings, Improve) names its project and lands by id, so nothing made
//! meanwhile is overwritten and nothing lands in another project.

use leptos::prelude::*;

use crate::learn::prototypes::OnlineStrategy;
use crate::ui::components::class_list::ClassList;
use crate::ui::components::class_panel::ClassPanel;
use crate::ui::components::evaluation::EvaluatePanel;
use crate::ui::components::improve_panel::ImprovePanel;
use crate::ui::components::model_file_panel::ModelFilePanel;
use crate::ui::components::settings::Settings;
use crate::ui::components::share_panel::SharePanel;
use crate::ui::components::teach_panel::TeachPanel;
use crate::ui::components::test_panel::TestPanel;
use crate::ui::engine::BackendRequest;
use crate::ui::i18n::t;

/// The projects page.
#[component]
pub fn ProjectsPage(request: BackendRequest) -> impl IntoView {
    let strategy = RwSignal::new(OnlineStrategy::Incremental);
    view! {
        <main>
            <section class="classes"><ClassList/></section>
            <section class="teach">
                <TeachPanel/>
                <ImprovePanel/>
            </section>
            <TestPanel strategy/>
            <section class="evaluate">
                <h2>{t("eval-title")}</h2>
                <EvaluatePanel strategy/>
                <Settings request strategy/>
            </section>
            <section class="your-class" data-testid="class-section">
                <h2>{t("class-section-title")}</h2>
                <div><SharePanel/></div>
                <div><ModelFilePanel/></div>
                <div><ClassPanel/></div>
            </section>
        </main>
    }
}
