//! `cargo xtask scrape`: NITRO reference pages -> IR snapshot.

use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("scrape: not implemented yet")
}
