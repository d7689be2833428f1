//! An embeddable badge: `pruv | verified 47/47` (green) or the failure (red).

use super::super::Receipt;
use super::{escape, verdict};

const GREEN: &str = "#2e7d32";
const RED: &str = "#c62828";
/// Approximate advance of an 11px sans-serif character, for sizing.
const CHAR_WIDTH: usize = 7;

pub fn badge(receipt: &Receipt) -> String {
    let (passed, message) = verdict(receipt);
    let colour = if passed { GREEN } else { RED };
    let label = "pruv";
    let left = label.chars().count() * CHAR_WIDTH + 12;
    let right = message.chars().count() * CHAR_WIDTH + 12;
    let total = left + right;
    let title = escape(&format!("pruv receipt for {} ({}): {message}", receipt.chain_name, receipt.chain_id));
    let message = escape(&message);
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="20" role="img" aria-label="{title}">
  <title>{title}</title>
  <rect width="{left}" height="20" fill="#555"/>
  <rect x="{left}" width="{right}" height="20" fill="{colour}"/>
  <g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" text-anchor="middle">
    <text x="{lx}" y="14">{label}</text>
    <text x="{rx}" y="14">{message}</text>
  </g>
</svg>
"##,
        lx = left / 2,
        rx = left + right / 2,
    )
}
