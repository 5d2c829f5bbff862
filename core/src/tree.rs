//! The JSON tree calls are read into: the `jindu-tree` crate (see there why
//! it is a crate of its own).

pub(crate) use jindu_tree::{parse, Json, Obj};
