//! Rule tests for the remaining languages, one file each.

mod csharp;
mod go;
mod java;
mod ruby;
mod rust;
