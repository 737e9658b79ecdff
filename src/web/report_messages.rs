//! The words for reports (see [`super::messages`]): their form problems, reasons and outcomes.

use super::i18n::Msg;
use crate::domain::report::{ReportError, ReportReason, Resolution};

pub fn report_error(error: ReportError) -> Msg {
    match error {
        ReportError::NoReason => Msg::new("report-error-no-reason"),
        ReportError::DetailsNeeded => Msg::new("report-error-details-needed"),
        ReportError::DetailsTooLong { max } => Msg::new("report-error-details-too-long").num("max", max as i64),
        ReportError::NoteBlank => Msg::new("report-error-note-blank"),
        ReportError::NoteTooLong { max } => Msg::new("report-error-note-too-long").num("max", max as i64),
        ReportError::AlreadyReported => Msg::new("report-error-already-reported"),
        ReportError::NothingOpen => Msg::new("report-error-nothing-open"),
    }
}

/// The message id naming a reason.
pub fn reason_key(reason: ReportReason) -> &'static str {
    match reason {
        ReportReason::Spam => "report-reason-spam",
        ReportReason::Abuse => "report-reason-abuse",
        ReportReason::OffTopic => "report-reason-off-topic",
        ReportReason::Illegal => "report-reason-illegal",
        ReportReason::Other => "report-reason-other",
    }
}

/// The message id naming what became of a report.
pub fn outcome_key(outcome: Option<Resolution>) -> &'static str {
    match outcome {
        None => "report-state-open",
        Some(Resolution::Removed) => "report-state-removed",
        Some(Resolution::Dismissed) => "report-state-dismissed",
    }
}
