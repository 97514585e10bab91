//! The cohort report (work in progress).
