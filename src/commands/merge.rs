//! `pacesim merge`: shards of one batch into exactly the files the
//! unsharded batch writes.

use std::path::{Path, PathBuf};

use super::say;
use crate::batch;
use crate::error::Failure;

pub fn merge(dirs: &[PathBuf], out: &Path) -> Result<(), Failure> {
    let m = batch::merge(dirs)?;
    std::fs::create_dir_all(out)
        .map_err(|e| Failure::Run(format!("cannot create {}: {e}", out.display())))?;
    batch::write_outputs(out, &m.meta, &m.columns, &m.rows)?;
    say(&format!(
        "merged {} shards ({} replications) into {}/runs.csv and {}/batch.json\n",
        m.shards,
        m.meta.runs,
        out.display(),
        out.display()
    ))
}
