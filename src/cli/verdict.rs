//! Pieces shared by the `identity`, `provenance` and receipt verdicts:
//! ✓/✗, the headline, the chain's own line, warnings on stderr.

use super::output::{BAD, BOLD, OK, WARN, paint, plural};
use crate::core::verify::Report;

pub fn mark(passed: bool) -> String {
    if passed { paint(OK, "✓") } else { paint(BAD, "✗") }
}

/// `✓ identity identity/x (id) holds` or `✗ … does not hold`.
pub fn headline(ok: bool, title: &str, id: &str) -> String {
    let verdict = if ok { paint(OK, "holds") } else { paint(BAD, "does not hold") };
    format!("{} {} ({id}) {verdict}\n", mark(ok), paint(BOLD, title))
}

/// The chain's verdict as one indented line: intact, or where it breaks and why.
pub fn chain_line(label: &str, report: &Report) -> String {
    if report.intact {
        return format!("  {} {label} intact: {}\n", mark(true), plural(report.entries, "entry", "entries"));
    }
    let at = report.first_break.map_or_else(|| "the document level".to_owned(), |i| format!("entry {i}"));
    let problems =
        report.problems.iter().take(3).map(|p| format!("{} ({})", p.message, p.kind.as_str())).collect::<Vec<_>>();
    format!("  {} {label} broken at {at}: {}\n", mark(false), problems.join("; "))
}

pub fn warn(message: &str) {
    let mut stderr = anstream::stderr();
    let _ = std::io::Write::write_fmt(
        &mut stderr,
        format_args!("{} {}\n", paint(WARN, "warning:"), super::output::escape_controls(message)),
    );
}
