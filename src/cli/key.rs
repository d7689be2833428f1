//! `pruv key generate`

use super::Context;
use super::args::{Format, KeyCommand};
use super::files::write_private;
use super::output::{emit, emit_json};
use crate::core::sign::SecretKey;
use crate::error::{Error, ExitCode, Result};

pub fn run(ctx: &Context, command: &KeyCommand) -> Result<ExitCode> {
    let KeyCommand::Generate { output, name, signer_id, force } = command;
    let dir = output.as_ref().map_or_else(|| ctx.cwd.clone(), |d| ctx.cwd.join(d));
    if name.is_empty() || name.contains(std::path::MAIN_SEPARATOR) {
        return Err(Error::InvalidInput(format!("--name {name:?} must be a plain file name stem")));
    }
    if let Ok(link) = dir.symlink_metadata() {
        let shown = super::output::escape_controls(&dir.display().to_string());
        match std::fs::metadata(&dir) {
            Ok(target) if target.is_dir() => {}
            Ok(_) => {
                return Err(Error::InvalidInput(format!(
                    "-o {shown}: not a directory; give the directory for the key files"
                )));
            }
            // Creating the directory would follow the link to wherever it points.
            Err(_) if link.file_type().is_symlink() => {
                return Err(Error::Unsafe(format!(
                    "-o {shown}: a symbolic link to nothing; refusing to write a secret key through it (remove the link or pick another directory)"
                )));
            }
            Err(e) => return Err(Error::io(&dir, e)),
        }
    }
    let secret_path = dir.join(format!("{name}.key"));
    let public_path = dir.join(format!("{name}.pub"));
    for path in [&secret_path, &public_path] {
        // A dangling symlink does not "exist" but would still be written through.
        if path.symlink_metadata().is_ok() {
            if !force {
                return Err(Error::WouldOverwrite { path: path.clone() });
            }
            std::fs::remove_file(path).map_err(|e| Error::io(path, e))?;
        }
    }
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let key = SecretKey::generate(signer_id.clone())?;
    let public = key.public();
    write_private(&secret_path, key.to_file_contents().as_bytes())?;
    std::fs::write(&public_path, public.to_file_contents(&key.signer_id)).map_err(|e| Error::io(&public_path, e))?;
    match ctx.format {
        Format::Json => emit_json(&serde_json::json!({
            "secret_key_file": secret_path,
            "public_key_file": public_path,
            "public_key": public.to_base64(),
            "signer_id": key.signer_id,
        }))?,
        _ => emit(&format!(
            "wrote secret key {} (mode 0600; keep it private)\nwrote public key {}\npublic key: {}\nsigner id:  {}\n",
            secret_path.display(),
            public_path.display(),
            public.to_base64(),
            key.signer_id
        ))?,
    }
    Ok(ExitCode::Ok)
}
