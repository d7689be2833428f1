//! Reading back a recorded scan (for `pruv receipt SCAN_ID`).

use rusqlite::OptionalExtension as _;

use super::{Store, store_error};
use crate::error::{Error, Result};
use crate::scan::model::ScanDocument;

impl Store {
    /// The scan recorded under `id`, with the root it was recorded for.
    pub fn load_scan(&self, id: &str) -> Result<Option<(String, ScanDocument)>> {
        let row: Option<(String, String)> = self
            .conn
            .query_row("SELECT root, document FROM scans WHERE id = ?1", [id], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()
            .map_err(|e| store_error(&self.dir, e))?;
        row.map(|(root, text)| {
            let document = serde_json::from_str(&text).map_err(|e| Error::Store {
                path: self.dir.clone(),
                message: format!("scan {id}: unreadable document: {e}"),
            })?;
            Ok((root, document))
        })
        .transpose()
    }
}
