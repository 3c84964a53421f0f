//! Chat ingest benchmark (in progress).
fn main() {}
