//! Gives the shared library its soname, so that a program linked against it records which ABI
//! it needs: `libcxm.so.0.1` for every 0.1.x release, `libcxm.so.1` from 1.0 on (the part of the
//! version that may break the ABI; see "Versions and the ABI" in the README). The name comes from
//! the crate version alone; scripts/install-c.sh reads it back from the built library.

use std::env;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let var = |name: &str| env::var(name).unwrap_or_default();
    // ELF platforms only: Apple's linker names libraries with -install_name, Windows has none.
    let elf = var("CARGO_CFG_TARGET_FAMILY").split(',').any(|family| family == "unix")
        && var("CARGO_CFG_TARGET_VENDOR") != "apple";
    if !elf {
        return;
    }
    let (major, minor) = (var("CARGO_PKG_VERSION_MAJOR"), var("CARGO_PKG_VERSION_MINOR"));
    let abi = if major == "0" { format!("0.{minor}") } else { major };
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libcxm.so.{abi}");
}
