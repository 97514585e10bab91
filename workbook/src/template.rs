//! kru new.
