//! `RichText`: the Markdown subset as elements, and only http(s) links.

use super::*;

#[wasm_bindgen_test]
async fn rich_text_renders_the_markdown_subset_as_elements() {
    let text = "**bold *both*** `x < y` see https://example.org/a?b=1.\n```rust\nfn main() {}\n```";
    let container = mount(move || view! { <RichText text=text /> });
    settle().await;
    assert_eq!(text_of(&container, "strong"), vec!["bold both"]);
    assert_eq!(text_of(&container, "strong em"), vec!["both"]);
    assert_eq!(text_of(&container, "p code"), vec!["x < y"]);
    assert_eq!(text_of(&container, "pre code"), vec!["fn main() {}"]);
    assert_eq!(
        all(&container, "pre code")[0].get_attribute("data-language").as_deref(),
        Some("rust")
    );
    let link = &all(&container, "a")[0];
    assert_eq!(link.get_attribute("href").as_deref(), Some("https://example.org/a?b=1"));
    assert_eq!(link.get_attribute("rel").as_deref(), Some("noopener noreferrer"));
    assert_eq!(link.get_attribute("target").as_deref(), Some("_blank"));
}

#[wasm_bindgen_test]
async fn rich_text_never_links_anything_but_http() {
    let text =
        "javascript:alert(1) [x](javascript:alert(1)) data:text/html,<b>x</b> <a href=x>y</a>";
    let container = mount(move || view! { <RichText text=text /> });
    settle().await;
    assert!(all(&container, "a, b").is_empty(), "no element came from the text");
    assert_eq!(text_of(&container, "p"), vec![text]);
}
