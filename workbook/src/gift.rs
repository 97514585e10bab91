//! GIFT import.
