//! An account's positions in memory: `(asset index, shares)` pairs, positive for vault shares
//! (collateral), negative for vault debt shares, and the assets' addresses in the same order.
//! Stored as `(Vec<Address>, Bytes)` with 20 little-endian bytes per position (see
//! [`crate::storage`]): the address list is exactly the argument of the health check's `quotes`
//! call, so a health check needs no registry lookup.

use soroban_sdk::{Address, Bytes, Env, Vec};

use crate::Error;

/// The hard ceiling of `max_positions` (the in-memory capacity of an account).
pub const MAX_POSITIONS_LIMIT: u32 = 32;

const POSITION_LEN: usize = 20;
const CAPACITY: usize = MAX_POSITIONS_LIMIT as usize;

/// `v` without its element at `at`, rebuilt element by element: `Vec::remove` would import the
/// host's `vec_del` for this alone, and every import costs 6,476 CPU instructions on every
/// instantiation of the contract (BENCHMARKS.md, "Where the instructions go"), while closing a
/// position is rare.
fn without(v: &Vec<Address>, at: u32) -> Vec<Address> {
    let mut rest = Vec::new(v.env());
    for (i, a) in v.iter().enumerate() {
        if i as u32 != at {
            rest.push_back(a);
        }
    }
    rest
}

/// An account's positions, in the order they were opened.
#[derive(Clone, Debug)]
pub struct Positions {
    /// The asset indexes and shares of the first `len` positions, in two arrays: with no padding
    /// an empty one is all zeros, set with `memset`; an array of `(u32, i128)` pairs has padding
    /// and is copied from a constant template with `memcpy` (~4.5k fuel per account loaded).
    idx: [u32; CAPACITY],
    shares: [i128; CAPACITY],
    len: usize,
    assets: Vec<Address>,
}

impl Positions {
    /// No positions.
    pub fn new(env: &Env) -> Positions {
        Positions {
            idx: [0; CAPACITY],
            shares: [0; CAPACITY],
            len: 0,
            assets: Vec::new(env),
        }
    }

    /// Decodes an account entry.
    ///
    /// # Errors
    /// [`Error::ValueMismatch`] - malformed entry (a contract bug).
    pub fn decode(env: &Env, entry: (Vec<Address>, Bytes)) -> Result<Positions, Error> {
        let mut out = Positions::new(env);
        out.decode_into(entry)?;
        Ok(out)
    }

    /// [`Positions::decode`] into `self` (empty), in place.
    ///
    /// # Errors
    /// [`Error::ValueMismatch`] - malformed entry (a contract bug).
    pub fn decode_into(&mut self, entry: (Vec<Address>, Bytes)) -> Result<(), Error> {
        let (assets, bytes) = entry;
        let size = bytes.len() as usize;
        let malformed = !size.is_multiple_of(POSITION_LEN)
            || size > CAPACITY * POSITION_LEN
            || assets.len() as usize != size / POSITION_LEN;
        if malformed {
            return Err(Error::ValueMismatch);
        }
        let mut buf = [0u8; CAPACITY * POSITION_LEN];
        crate::raw::copy_at(&bytes, 0, &mut buf[..size]);
        let out = self;
        out.len = size / POSITION_LEN;
        out.assets = assets;
        for ((idx, shares), chunk) in out
            .idx
            .iter_mut()
            .zip(out.shares.iter_mut())
            .zip(buf[..size].chunks_exact(POSITION_LEN))
        {
            // Fixed-size conversions are plain loads (`copy_from_slice` would call `memcpy`).
            *idx = u32::from_le_bytes(<[u8; 4]>::try_from(&chunk[..4]).unwrap_or_default());
            *shares = i128::from_le_bytes(<[u8; 16]>::try_from(&chunk[4..]).unwrap_or_default());
        }
        Ok(())
    }

    /// The entry: the assets and the positions' bytes.
    pub fn encode(&self, env: &Env) -> (Vec<Address>, Bytes) {
        let mut buf = [0u8; CAPACITY * POSITION_LEN];
        for (chunk, (idx, shares)) in buf.chunks_exact_mut(POSITION_LEN).zip(self.iter()) {
            if let Ok(dst) = <&mut [u8; 4]>::try_from(&mut chunk[..4]) {
                *dst = idx.to_le_bytes();
            }
            if let Ok(dst) = <&mut [u8; 16]>::try_from(&mut chunk[4..]) {
                *dst = shares.to_le_bytes();
            }
        }
        let bytes = Bytes::from_slice(env, &buf[..self.len * POSITION_LEN]);
        (self.assets.clone(), bytes)
    }

    /// The positions' assets, in order (the `quotes` argument of a health check).
    pub fn assets(&self) -> &Vec<Address> {
        &self.assets
    }

    /// The positions as `(asset index, shares)`.
    pub fn iter(&self) -> impl Iterator<Item = (u32, i128)> + '_ {
        self.idx[..self.len]
            .iter()
            .copied()
            .zip(self.shares[..self.len].iter().copied())
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The shares of the asset with registry index `idx` (0 without a position).
    pub fn get(&self, idx: u32) -> i128 {
        self.iter().find(|(i, _)| *i == idx).map_or(0, |(_, s)| s)
    }

    /// Sets the position of `idx` (the asset `asset`) to `shares`; zero closes it.
    ///
    /// # Errors
    /// [`Error::TooManyPositions`] - opening a position beyond `max_positions` (an account over a
    /// lowered limit can still change and close its positions).
    pub fn set(
        &mut self,
        idx: u32,
        asset: &Address,
        shares: i128,
        max_positions: u32,
    ) -> Result<(), Error> {
        let found = self.idx[..self.len].iter().position(|i| *i == idx);
        match (found, shares) {
            (Some(at), 0) => {
                self.idx.copy_within(at + 1..self.len, at);
                self.shares.copy_within(at + 1..self.len, at);
                self.len -= 1;
                self.assets = without(&self.assets, at as u32);
            }
            (Some(at), _) => self.shares[at] = shares,
            (None, 0) => {}
            (None, _) => {
                if self.len >= (max_positions as usize).min(CAPACITY) {
                    return Err(Error::TooManyPositions);
                }
                self.idx[self.len] = idx;
                self.shares[self.len] = shares;
                self.len += 1;
                self.assets.push_back(asset.clone());
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn positions_round_trip_and_close_at_zero() {
        use soroban_sdk::testutils::Address as _;
        let env = Env::default();
        let a: std::vec::Vec<Address> = (0..4).map(|_| Address::generate(&env)).collect();
        let mut p = Positions::new(&env);
        p.set(3, &a[3], 100, 2).unwrap();
        p.set(1, &a[1], -7, 2).unwrap();
        assert_eq!(p.set(2, &a[2], 5, 2), Err(Error::TooManyPositions));
        let q = Positions::decode(&env, p.encode(&env)).unwrap();
        assert_eq!(q.iter().collect::<std::vec::Vec<_>>(), [(3, 100), (1, -7)]);
        assert_eq!(
            q.assets(),
            &soroban_sdk::vec![&env, a[3].clone(), a[1].clone()]
        );
        p.set(3, &a[3], 0, 2).unwrap();
        assert_eq!(p.get(3), 0);
        assert_eq!(p.get(1), -7);
        assert_eq!(p.len(), 1);
        assert_eq!(p.assets(), &soroban_sdk::vec![&env, a[1].clone()]);
        p.set(2, &a[2], 5, 2).unwrap();
        assert_eq!(p.get(2), 5);
    }
}
