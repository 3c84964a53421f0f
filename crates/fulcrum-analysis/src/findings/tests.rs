//! Tests of the finding rule on hand-built team weeks.

use super::*;
