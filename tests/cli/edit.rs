//! placeholder: written by the edit-tests helper
