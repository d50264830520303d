//! Sorting names the way a reader expects in their language, with the browser's collator
//! (`Intl.Collator`): case and accents ignored first, and Chinese names in pinyin order when
//! the page speaks Chinese. No collation tables in the download.

use std::cmp::Ordering;

use common::Nickname;
use wasm_bindgen::JsValue;

use crate::lang::Lang;
use crate::model::case_fold::name_key;

/// Sorts `names` for a reader of `lang`.
pub fn sort_nicknames(names: &mut [Nickname], lang: Lang) {
    let locales = js_sys::Array::of1(&JsValue::from_str(lang.tag()));
    let collator = js_sys::Intl::Collator::new(&locales, &js_sys::Object::new());
    let compare = collator.compare();
    sort_names_by(names, &|a, b| {
        let order = compare
            .call2(&JsValue::NULL, &JsValue::from_str(a.as_str()), &JsValue::from_str(b.as_str()))
            .ok()
            .and_then(|order| order.as_f64())
            .unwrap_or(0.0);
        // Names the collator finds equal keep a stable order by their key.
        order
            .partial_cmp(&0.0)
            .unwrap_or(Ordering::Equal)
            .then_with(|| name_key(a).cmp(&name_key(b)))
    });
}

/// Sorts `names` by `order` (stable). Every list of names on the page is sorted through here,
/// so the standard library's sort is compiled once for them all: each distinct comparison
/// closure would add another copy, about 3.5 KB of WASM.
pub fn sort_names_by(names: &mut [Nickname], order: &dyn Fn(&Nickname, &Nickname) -> Ordering) {
    names.sort_by(order);
}
