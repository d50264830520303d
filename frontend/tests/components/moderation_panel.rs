//! `ModerationPanel`: the ban form for moderators, and the audit log for admins only.

use common::{AuditEntry, Role};
use frontend::components::ModerationPanel;
use frontend::controller::ChatController;

use super::*;

fn mount_panel(role: Role) -> (HtmlElement, ChatController) {
    let chat = ChatController::new();
    chat.state.update(|state| state.role = role);
    let container = mount(move || {
        provide_context(Preferences::load());
        provide_context(chat);
        view! { <ModerationPanel /> }
    });
    (container, chat)
}

#[wasm_bindgen_test]
async fn moderation_panel_gives_moderators_the_ban_form_and_admins_the_audit_log() {
    let (moderator, _) = mount_panel(Role::Moderator);
    settle().await;
    // Name, reason, minutes, and whether it is a guest.
    assert_eq!(all(&moderator, ".ban input").len(), 4);
    assert_eq!(all(&moderator, ".ban .guest-choice input[type=checkbox]").len(), 1);
    for label in all(&moderator, ".ban label") {
        assert!(
            !label.text_content().unwrap_or_default().trim().is_empty(),
            "every field labelled"
        );
    }
    assert!(all(&moderator, ".audit-log").is_empty(), "the audit log is for admins");

    let (admin, chat) = mount_panel(Role::Admin);
    settle().await;
    let entry = AuditEntry {
        id: 1,
        at: 1_764_190_000_000,
        actor: nick("boss"),
        action: "ban".into(),
        target: nick("troll"),
        room: None,
        reason: "posting spam links".into(),
    };
    chat.state.update(|state| state.audit_log = Some(vec![entry]));
    settle().await;
    let lines = text_of(&admin, ".audit-log li");
    assert_eq!(lines.len(), 1);
    assert!(lines[0].ends_with("boss banned troll: posting spam links"), "{lines:?}");
}
