fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(pruv::cli::run(std::env::args_os()))
}
