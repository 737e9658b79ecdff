//! Forms as the templates show them: fields with labels, typed values, and errors tied to
//! their fields (aria-describedby, aria-invalid) plus a summary at the top.

use crate::domain::FieldErrors;

#[derive(Debug, Clone)]
pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    /// The input type: text, email, password, …; "textarea" for a multi-line field.
    pub kind: &'static str,
    pub value: String,
    pub hint: &'static str,
    pub autocomplete: &'static str,
    pub required: bool,
    pub error: Option<String>,
}

impl Field {
    pub fn new(name: &'static str, label: &'static str, kind: &'static str) -> Self {
        Field { name, label, kind, value: String::new(), hint: "", autocomplete: "off", required: true, error: None }
    }

    pub fn value(mut self, value: impl Into<String>) -> Self {
        // A password is never sent back to the browser.
        if self.kind != "password" {
            self.value = value.into();
        }
        self
    }

    pub fn hint(mut self, hint: &'static str) -> Self {
        self.hint = hint;
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
    pub submit: &'static str,
    pub fields: Vec<Field>,
    pub summary: Vec<SummaryItem>,
    /// A hidden field carried along (e.g. where to go after logging in).
    pub hidden: Vec<(&'static str, String)>,
    /// A class for the submit button ("danger" for destructive actions).
    pub button_class: &'static str,
}

impl FormView {
    pub fn new(action: impl Into<String>, submit: &'static str, fields: Vec<Field>) -> Self {
        FormView { action: action.into(), submit, fields, summary: Vec::new(), hidden: Vec::new(), button_class: "" }
    }

    pub fn hidden(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.hidden.push((name, value.into()));
        self
    }

    pub fn danger(mut self) -> Self {
        self.button_class = "danger";
        self
    }

    /// Attaches errors to their fields and builds the summary in the order of the fields.
    pub fn with_errors(mut self, errors: &FieldErrors) -> Self {
        if let Some(message) = errors.get("form") {
            self.summary.push(SummaryItem { target: String::new(), message: message.to_string() });
        }
        for field in &mut self.fields {
            if let Some(message) = errors.get(field.name) {
                field.error = Some(message.to_string());
                self.summary.push(SummaryItem { target: field.name.to_string(), message: message.to_string() });
            }
        }
        // A message for a field this form does not show still reaches the user.
        for (name, message) in errors.iter() {
            if name != "form" && !self.fields.iter().any(|f| f.name == name) {
                self.summary.push(SummaryItem { target: String::new(), message: message.to_string() });
            }
        }
        self
    }
}

/// Where to go after logging in: only a path on this site, never another host.
pub fn safe_next(next: &str) -> &str {
    let local = next.starts_with('/') && !next.starts_with("//") && !next.contains('\\');
    if local { next } else { "/" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next("/settings"), "/settings");
        assert_eq!(safe_next("//evil.example"), "/");
        assert_eq!(safe_next("https://evil.example"), "/");
        assert_eq!(safe_next("/\\evil.example"), "/");
    }

    #[test]
    fn passwords_are_never_refilled() {
        assert_eq!(Field::new("password", "Password", "password").value("secret").value, "");
        assert_eq!(Field::new("name", "Name", "text").value("kim").value, "kim");
    }

    #[test]
    fn errors_land_on_their_fields_and_in_the_summary() {
        let mut errors = FieldErrors::new();
        errors.add("email", "bad email");
        errors.add("form", "whole form");
        let form =
            FormView::new("/x", "Go", vec![Field::new("name", "Name", "text"), Field::new("email", "Email", "email")])
                .with_errors(&errors);
        assert_eq!(form.fields[1].error.as_deref(), Some("bad email"));
        assert_eq!(form.fields[1].described_by(), "email-error");
        assert_eq!(form.summary.len(), 2);
        assert_eq!(form.summary[0].message, "whole form");
    }
}
