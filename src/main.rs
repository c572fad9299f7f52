//! The `parkcheck` binary.

mod cli;
mod serve;

// Many small, short-lived allocations (tree nodes, CEL values): mimalloc serves them in far
// fewer instructions than glibc malloc (see benches/README.md for the figures).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::main()
}
