//! A message body on screen: its Markdown subset ([`common::Markup`]) rendered as DOM nodes.
//!
//! Every piece of user text becomes a text node; elements come only from the tree's own
//! kinds (paragraph, strong, em, code, pre, a), never from parsing an HTML string. A link's
//! address is a [`common::SafeUrl`], so it can only be http(s), and it opens in a new tab
//! without giving that tab a handle on this page (`rel="noopener noreferrer"`).

use common::{Block, Inline, Markup};
use leptos::prelude::*;

#[component]
pub fn RichText(
    /// The message text (parsed here).
    #[prop(into)]
    text: String,
) -> impl IntoView {
    Markup::parse(&text).blocks.into_iter().map(block).collect_view()
}

fn block(block: Block) -> AnyView {
    match block {
        Block::Paragraph(inlines) => view! { <p>{inlines_view(inlines)}</p> }.into_any(),
        Block::Code { language, code } => {
            view! { <pre><code data-language=language>{code}</code></pre> }.into_any()
        }
    }
}

fn inlines_view(inlines: Vec<Inline>) -> Vec<AnyView> {
    inlines.into_iter().map(inline).collect()
}

fn inline(inline: Inline) -> AnyView {
    match inline {
        Inline::Text(text) => text.into_any(),
        Inline::Bold(children) => view! { <strong>{inlines_view(children)}</strong> }.into_any(),
        Inline::Italic(children) => view! { <em>{inlines_view(children)}</em> }.into_any(),
        Inline::Code(code) => view! { <code>{code}</code> }.into_any(),
        Inline::Link(url) => {
            let href = url.as_str().to_owned();
            view! {
                <a href=href target="_blank" rel="noopener noreferrer">
                    {url.to_string()}
                </a>
            }
            .into_any()
        }
    }
}
