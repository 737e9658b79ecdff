//! Forms as the templates show them: fields with labels, typed values, and errors tied to
//! their fields (aria-describedby, aria-invalid) plus a summary at the top.

use super::i18n::Lang;
use super::messages;
use crate::app::boards::CategoryChoice;
use crate::domain::CategoryId;
use crate::domain::{Field, FieldErrors};

/// The HTML input that asks for a field (the form as a whole has none).
pub fn input_name(field: Field) -> &'static str {
    match field {
        Field::Form => "",
        Field::Name => "name",
        Field::Email => "email",
        Field::Password => "password",
        Field::CurrentPassword => "current_password",
        Field::NewPassword => "password1",
        Field::PasswordConfirmation => "password2",
        Field::Title => "title",
        Field::Content => "content",
        Field::Category => "category",
        Field::Parent => "parent",
        Field::Reason => "reason",
        Field::Until => "until",
        Field::Invite => "invite",
    }
}

/// One input of a form as the templates show it.
#[derive(Debug, Clone)]
pub struct Input {
    pub name: &'static str,
    pub label: String,
    /// The input type: text, email, password, …; "textarea" for a multi-line field.
    pub kind: &'static str,
    pub value: String,
    pub hint: String,
    pub autocomplete: &'static str,
    pub required: bool,
    pub error: Option<String>,
}

impl Input {
    pub fn new(name: &'static str, label: impl Into<String>, kind: &'static str) -> Self {
        Input {
            name,
            label: label.into(),
            kind,
            value: String::new(),
            hint: String::new(),
            autocomplete: "off",
            required: true,
            error: None,
        }
    }

    pub fn value(mut self, value: impl Into<String>) -> Self {
        // A password is never sent back to the browser.
        if self.kind != "password" {
            self.value = value.into();
        }
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = hint.into();
        self
    }

    pub fn autocomplete(mut self, autocomplete: &'static str) -> Self {
        self.autocomplete = autocomplete;
        self
    }

    /// The ids that describe the input: its hint and its error, when present.
    pub fn described_by(&self) -> String {
        let mut ids = Vec::new();
        if !self.hint.is_empty() {
            ids.push(format!("{}-hint", self.name));
        }
        if self.error.is_some() {
            ids.push(format!("{}-error", self.name));
        }
        ids.join(" ")
    }
}

/// One message of the error summary, linking to its field ("" for the whole form).
#[derive(Debug, Clone)]
pub struct SummaryItem {
    pub target: String,
    pub message: String,
}

#[derive(Debug, Clone)]
pub struct FormView {
    pub action: String,
    pub submit: String,
    pub fields: Vec<Input>,
    pub summary: Vec<SummaryItem>,
    /// A hidden field carried along (e.g. where to go after logging in).
    pub hidden: Vec<(&'static str, String)>,
    /// A class for the submit button ("danger" for destructive actions).
    pub button_class: &'static str,
    /// A field hidden from people and screen readers, with its label: whatever fills it in is
    /// a script (its name, and the words that ask to leave it empty).
    pub trap: Option<(&'static str, String)>,
}

impl FormView {
    pub fn new(action: impl Into<String>, submit: impl Into<String>, fields: Vec<Input>) -> Self {
        FormView {
            action: action.into(),
            submit: submit.into(),
            fields,
            summary: Vec::new(),
            hidden: Vec::new(),
            button_class: "",
            trap: None,
        }
    }

    pub fn hidden(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.hidden.push((name, value.into()));
        self
    }

    pub fn trap(mut self, name: &'static str, label: impl Into<String>) -> Self {
        self.trap = Some((name, label.into()));
        self
    }

    pub fn danger(mut self) -> Self {
        self.button_class = "danger";
        self
    }

    /// Attaches errors to their inputs and builds the summary: first what concerns the whole
    /// form, then each input's in the order of the inputs.
    pub fn with_errors(mut self, errors: &FieldErrors, lang: Lang) -> Self {
        let told = |error| lang.msg(&messages::field_error(error));
        if let Some(error) = errors.get(Field::Form) {
            self.summary.push(SummaryItem { target: String::new(), message: told(error) });
        }
        for input in &mut self.fields {
            if let Some((_, error)) = errors.iter().find(|(field, _)| input_name(*field) == input.name) {
                let message = told(error);
                input.error = Some(message.clone());
                self.summary.push(SummaryItem { target: input.name.to_string(), message });
            }
        }
        // A problem with a field this form does not show still reaches the user.
        for (field, error) in errors.iter() {
            if field != Field::Form && !self.fields.iter().any(|input| input.name == input_name(field)) {
                self.summary.push(SummaryItem { target: String::new(), message: told(error) });
            }
        }
        self
    }
}

/// A one-time key for a form that creates something (see `domain::guards::FormKey`).
pub fn new_form_key() -> String {
    crate::app::guards::random_token(16)
}

/// Boards and categories as the options of a `<select>`: (id, label, selected).
pub fn category_options(
    choices: impl IntoIterator<Item = CategoryChoice>,
    selected: impl Fn(CategoryId) -> bool,
) -> Vec<(CategoryId, String, bool)> {
    choices.into_iter().map(|choice| (choice.id, choice.label, selected(choice.id))).collect()
}

/// Where to go after logging in: only a path on this site, never another host. Judged the way
/// a browser reads the address (WHATWG URL parsing: tabs and newlines removed anywhere, a
/// backslash read as a slash), so that `/` + TAB + `/other.site` is seen for the `//other.site`
/// it becomes; the path is given back as the parser writes it, with control characters
/// percent-encoded, so it is always a valid `Location`.
pub fn safe_next(next: &str) -> String {
    let Ok(site) = url::Url::parse("http://this.site/") else { return "/".to_string() };
    match site.join(next) {
        Ok(target) if next.starts_with('/') && target.origin() == site.origin() => {
            target[url::Position::BeforePath..].to_string()
        }
        _ => "/".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::FieldError;
    use crate::domain::content::TitleError;
    use crate::domain::user::EmailError;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next("/settings"), "/settings");
        assert_eq!(safe_next("//evil.example"), "/");
        assert_eq!(safe_next("https://evil.example"), "/");
        assert_eq!(safe_next("/\\evil.example"), "/");
        assert_eq!(safe_next("/\t/evil.example"), "/");
        assert_eq!(safe_next("/\r\n/evil.example"), "/");
        assert_eq!(safe_next("/posts/1?page=2#c3"), "/posts/1?page=2#c3");
        assert_eq!(safe_next("/a\u{b}b"), "/a%0Bb");
        assert_eq!(safe_next("/a\r\nSet-Cookie: x=1"), "/aSet-Cookie:%20x=1");
    }

    #[test]
    fn passwords_are_never_refilled() {
        assert_eq!(Input::new("password", "Password", "password").value("secret").value, "");
        assert_eq!(Input::new("name", "Name", "text").value("kim").value, "kim");
    }

    #[test]
    fn errors_land_on_their_fields_and_in_the_summary() {
        let mut errors = FieldErrors::new();
        errors.add(Field::Email, EmailError::Shape);
        errors.add(Field::Form, FieldError::WrongLogin);
        errors.add(Field::Title, TitleError::Blank);
        let form =
            FormView::new("/x", "Go", vec![Input::new("name", "Name", "text"), Input::new("email", "Email", "email")])
                .with_errors(&errors, Lang::En);
        assert_eq!(form.fields[1].error.as_deref(), Some("Enter a valid email address, like name@example.com."));
        assert_eq!(form.fields[1].described_by(), "email-error");
        assert_eq!(form.summary.len(), 3);
        assert_eq!(form.summary[0].message, "Wrong name or password.");
        assert_eq!((form.summary[2].target.as_str(), form.summary[2].message.as_str()), ("", "Enter a title."));
    }
}
