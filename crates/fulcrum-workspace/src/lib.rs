//! The workspace (in progress).
