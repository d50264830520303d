//! `JumpToDate`: a typed date jumps on Enter, not at each digit; a day picked jumps at once.

use web_sys::HtmlInputElement;

use frontend::components::JumpToDate;

use super::*;

struct Field {
    input: HtmlInputElement,
    jumps: Arc<Mutex<Vec<i64>>>,
}

impl Field {
    fn mount() -> Self {
        let jumps = Arc::new(Mutex::new(Vec::new()));
        let record = Arc::clone(&jumps);
        let on_jump = Callback::new(move |at: i64| record.lock().expect("lock").push(at));
        let container = mount(move || view! { <JumpToDate on_jump=on_jump /> });
        let input = all(&container, "input.jump-to-date")[0].clone().unchecked_into();
        Self { input, jumps }
    }

    fn key(&self, key: &str) {
        press(&self.input, key);
    }

    /// The field now holds `value`, as the browser reports it (a `change`).
    fn changed_to(&self, value: &str) {
        self.input.set_value(value);
        self.fire("change");
    }

    fn pointer_down(&self) {
        self.fire("pointerdown");
    }

    fn fire(&self, name: &str) {
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        let event = web_sys::Event::new_with_event_init_dict(name, &init).expect("event");
        self.input.dispatch_event(&event).expect("dispatched");
    }

    fn jumps(&self) -> usize {
        self.jumps.lock().expect("lock").len()
    }
}

#[wasm_bindgen_test]
async fn a_typed_year_does_not_jump_at_each_digit_only_on_enter() {
    let field = Field::mount();
    settle().await;
    // The year typed digit by digit passes through valid dates: none of them jumps.
    for (digit, value) in [("0", "0002-08-06"), ("2", "0020-08-06"), ("0", "0202-08-06")] {
        field.key(digit);
        field.changed_to(value);
    }
    field.key("6");
    field.changed_to("2026-08-06");
    assert_eq!(field.jumps(), 0, "typing is not choosing");
    field.key("Enter");
    assert_eq!(field.jumps(), 1, "Enter jumps to the day typed");
}

#[wasm_bindgen_test]
async fn a_day_picked_in_the_browsers_picker_jumps_at_once() {
    let field = Field::mount();
    settle().await;
    field.key("2");
    field.changed_to("0002-08-06");
    assert_eq!(field.jumps(), 0);
    // Then the picker, with the pointer: the day chosen there jumps.
    field.pointer_down();
    field.changed_to("2026-08-06");
    assert_eq!(field.jumps(), 1);
}
