//! `cargo xtask codegen`: specs/ -> generated/.

use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("codegen: not implemented yet")
}
