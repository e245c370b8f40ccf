//! Reading fixed layouts out of host `Bytes` with one host call per read.
//!
//! `Bytes::slice(..).copy_into_slice(..)` makes three host calls (a new object for the slice,
//! its length for the SDK's check, the copy); the hot paths read fixed-size records at known
//! offsets of entries whose length they have already checked, so they copy straight from the
//! offset.

use soroban_sdk::{Bytes, EnvBase, Val};

/// Copies `out.len()` bytes of `bytes`, from offset `at`, into `out`.
///
/// The caller has checked `at + out.len() <= bytes.len()` (the host traps on a read past the
/// end, so every caller returns its typed error before that).
#[inline(always)]
pub fn copy_at(bytes: &Bytes, at: u32, out: &mut [u8]) {
    let _ = bytes
        .env()
        .bytes_copy_to_slice(bytes.to_object(), Val::from_u32(at), out);
}
