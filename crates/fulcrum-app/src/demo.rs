//! `fulcrum demo` on disk: a [`DemoSink`] that creates files (and their
//! folders) under an output folder, and the checks around it (refuse a
//! folder that is not empty unless forced; with force, remove the stale
//! calendars of an earlier, larger demo).

use fulcrum_demo::{DemoError, DemoOptions, DemoProgress, DemoSink, DemoSummary, generate};
use std::collections::HashSet;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Component, Path, PathBuf};

/// Why the demo could not be written.
#[derive(Debug, thiserror::Error)]
pub enum DemoWriteError {
    /// The output folder holds files and `--force` was not given.
    #[error(
        "{0} is not empty; choose another folder with --out, or pass --force to overwrite the demo files in it"
    )]
    NotEmpty(PathBuf),
    /// The output folder could not be prepared.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The error.
        source: io::Error,
    },
    /// The generator failed (bad options, or a file could not be written).
    #[error(transparent)]
    Demo(#[from] DemoError),
}

/// Writes files under a root folder, creating folders on the way, and
/// passes the generator's progress on to a callback.
pub struct FileSink<'p> {
    root: PathBuf,
    made: HashSet<PathBuf>,
    progress: &'p mut dyn FnMut(DemoProgress),
}

impl std::fmt::Debug for FileSink<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileSink")
            .field("root", &self.root)
            .finish()
    }
}

impl<'p> FileSink<'p> {
    /// A sink writing under `root` (created when the first file is),
    /// telling `progress` how far the generator is.
    pub fn new(root: &Path, progress: &'p mut dyn FnMut(DemoProgress)) -> Self {
        FileSink {
            root: root.to_owned(),
            made: HashSet::new(),
            progress,
        }
    }
}

impl DemoSink for FileSink<'_> {
    fn progress(&mut self, progress: DemoProgress) {
        (self.progress)(progress);
    }

    fn create(&mut self, relative_path: &str) -> io::Result<Box<dyn Write>> {
        let rel = Path::new(relative_path);
        // The generator only writes plain relative paths; refuse anything
        // that could leave the output folder.
        if !rel.components().all(|c| matches!(c, Component::Normal(_))) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{relative_path:?} is not a plain relative path"),
            ));
        }
        let path = self.root.join(rel);
        if let Some(parent) = path.parent()
            && self.made.insert(parent.to_owned())
        {
            fs::create_dir_all(parent)?;
        }
        Ok(Box::new(BufWriter::with_capacity(
            1 << 16,
            File::create(&path)?,
        )))
    }
}

/// True when `dir` exists and holds anything.
fn is_non_empty(dir: &Path) -> io::Result<bool> {
    match fs::read_dir(dir) {
        Ok(mut entries) => Ok(entries.next().is_some()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

/// Generates the demo workspace into `dir`. Without `force`, `dir` must be
/// missing or empty; with it, the `.ics` files directly in `dir/calendars`
/// are removed first so that a smaller demo leaves no stale calendars, and
/// the demo's other files are overwritten. Nothing else is touched.
pub fn write_demo(
    dir: &Path,
    options: &DemoOptions,
    force: bool,
) -> Result<DemoSummary, DemoWriteError> {
    write_demo_with_progress(dir, options, force, &mut |_| {})
}

/// [`write_demo`], telling `progress` how far the generator is (the CLI
/// draws it as a progress bar).
pub fn write_demo_with_progress(
    dir: &Path,
    options: &DemoOptions,
    force: bool,
    progress: &mut dyn FnMut(DemoProgress),
) -> Result<DemoSummary, DemoWriteError> {
    let options = options.validated()?;
    let io_err = |path: &Path| {
        let path = path.to_owned();
        move |source| DemoWriteError::Io { path, source }
    };
    if is_non_empty(dir).map_err(io_err(dir))? {
        if !force {
            return Err(DemoWriteError::NotEmpty(dir.to_owned()));
        }
        let calendars = dir.join("calendars");
        if calendars.is_dir() {
            for entry in fs::read_dir(&calendars).map_err(io_err(&calendars))? {
                let path = entry.map_err(io_err(&calendars))?.path();
                if path.extension().is_some_and(|e| e == "ics") && path.is_file() {
                    fs::remove_file(&path).map_err(io_err(&path))?;
                }
            }
        }
    }
    let mut sink = FileSink::new(dir, progress);
    Ok(generate(&options, &mut sink)?)
}
