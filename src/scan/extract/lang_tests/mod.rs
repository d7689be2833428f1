//! Rule tests for the remaining languages, one file each.

mod c_cpp;
mod csharp;
mod elixir;
mod go;
mod java;
mod kotlin;
mod php;
mod ruby;
mod rust;
mod scala;
mod grpc_stubs;
