//! Backend: IR -> the files of the generated `netscaler` crate.
