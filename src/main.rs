//! The `roadmap` binary: a door into the library, which is the program.

fn main() -> std::process::ExitCode {
    roadmap::main()
}
