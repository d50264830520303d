//! `Login`: a guest's nickname, or an account's username and password (signing in or
//! registering), with the new password checked before anything is sent.

use frontend::components::Login;
use frontend::controller::ChatController;
use web_sys::HtmlInputElement;

use super::*;

fn mount_login() -> HtmlElement {
    mount(|| {
        provide_context(Preferences::load());
        provide_context(ChatController::new());
        view! { <Login /> }
    })
}

fn input(container: &HtmlElement, css: &str) -> Option<HtmlInputElement> {
    all(container, css).first().map(|element| element.clone().unchecked_into())
}

/// Picks the way in: 0 guest, 1 sign in, 2 register.
fn choose(container: &HtmlElement, way: usize) {
    let radio: HtmlInputElement = all(container, "input[type=radio]")[way].clone().unchecked_into();
    radio.set_checked(true);
    radio.dispatch_event(&web_sys::Event::new("change").expect("event")).expect("dispatched");
}

fn type_into(field: &HtmlInputElement, text: &str) {
    field.set_value(text);
    field.dispatch_event(&web_sys::Event::new("input").expect("event")).expect("dispatched");
}

#[wasm_bindgen_test]
async fn login_asks_a_guest_for_a_nickname_and_an_account_for_a_password() {
    let container = mount_login();
    settle().await;
    assert_eq!(all(&container, "input[type=radio]").len(), 3);
    assert!(input(&container, "#password").is_none(), "a guest needs no password");
    let name = input(&container, "#nickname").expect("the name field");
    assert_eq!(name.get_attribute("autocomplete").as_deref(), Some("nickname"));

    choose(&container, 1);
    settle().await;
    let password = input(&container, "#password").expect("a password field to sign in");
    assert_eq!(password.type_(), "password", "never shown as typed");
    assert_eq!(password.get_attribute("autocomplete").as_deref(), Some("current-password"));
    assert_eq!(name.get_attribute("autocomplete").as_deref(), Some("username"));
    assert!(all(&container, "#password-hint").is_empty());
    assert_eq!(text_of(&container, "button[type=submit]"), vec![EN.sign_in]);

    choose(&container, 2);
    settle().await;
    let password = input(&container, "#password").expect("a password field to register");
    assert_eq!(password.get_attribute("autocomplete").as_deref(), Some("new-password"));
    assert_eq!(password.get_attribute("aria-describedby").as_deref(), Some("password-hint"));
    assert_eq!(text_of(&container, "#password-hint"), vec![EN.password_hint]);
    assert_eq!(text_of(&container, "button[type=submit]"), vec![EN.register]);
}

#[wasm_bindgen_test]
async fn login_refuses_a_short_new_password_before_sending_it() {
    let container = mount_login();
    settle().await;
    choose(&container, 2);
    settle().await;
    type_into(&input(&container, "#nickname").expect("name"), "alice");
    type_into(&input(&container, "#password").expect("password"), "short");
    let button: HtmlButtonElement =
        all(&container, "button[type=submit]")[0].clone().unchecked_into();
    button.click();
    settle().await;
    let error = text_of(&container, ".error").join("");
    assert!(error.contains("at least 8 characters"), "{error:?}");
    assert!(!button.disabled(), "nothing was sent: the form stays usable");
}
