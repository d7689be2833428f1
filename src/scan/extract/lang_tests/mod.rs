//! Rule tests for the remaining languages, one file each.

mod c_cpp;
mod csharp;
mod elixir;
mod go;
mod grpc_stubs;
mod java;
mod kotlin;
mod php;
mod ruby;
mod rust;
mod scala;
