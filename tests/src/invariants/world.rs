//! The fuzzed world: the protocol, its actors, and the books only the test can keep.

use liquidation_auction::default_params;
use soroban_sdk::{Address, Env};

use super::actions::Snapshot;
use crate::auction_fixture::AuctionFixture;
use crate::protocol_fixture::{Protocol, UNIT, USD};

/// Tokens: 1 USD, 2 USD and 0.5 USD, with AMM pools 0/1 and 1/2.
pub const TOKENS: usize = 3;
/// Lenders, each funding the vaults directly.
pub const LENDERS: usize = 2;
/// Traders with margin accounts; the last one is the attacker.
pub const TRADERS: usize = 4;
/// Account ids each trader may use.
pub const ACCOUNTS: u32 = 2;
/// Keepers, each holding every token and an allowance for the auction.
pub const KEEPERS: usize = 2;

/// What each actor is minted of every token at the start (whole tokens).
const WALLET: i128 = 20_000;
const KEEPER_WALLET: i128 = 200_000;
/// The pools' depth in whole tokens of their first token.
const POOL_DEPTH: i128 = 200_000;

/// Counters for the figures.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Actions run.
    pub steps: u64,
    /// Contract calls that succeeded, and calls refused with a typed error.
    pub calls_ok: u64,
    pub calls_refused: u64,
    /// Refusals that did not come as the contract's typed error (a token's own error, a host
    /// trap); counted, and each is also checked to have changed nothing.
    pub refused_untyped: u64,
    /// Invariant evaluations (one per invariant per step).
    pub checks: u64,
    /// Auctions started, slices taken, resets, bad debts settled.
    pub starts: u64,
    pub takes: u64,
    pub resets: u64,
    pub settlements: u64,
}

/// The protocol under test and its actors.
pub struct World {
    pub f: AuctionFixture<'static>,
    pub lenders: std::vec::Vec<Address>,
    /// `traders[TRADERS - 1]` is the attacker.
    pub traders: std::vec::Vec<Address>,
    pub keepers: std::vec::Vec<Address>,
    /// Per token, what every known holder holds together (the start, plus every later mint).
    pub supply: [i128; TOKENS],
    /// Auctions started and not yet seen closed.
    pub live: std::vec::Vec<u64>,
    /// Per vault, `convert_to_assets(SHARE_PROBE)` at the last check.
    pub share_prices: [i128; TOKENS],
    pub stats: Stats,
    /// The books after the last check: what a refused call must leave.
    pub last: Option<Snapshot>,
}

/// The share amount whose value the checker tracks as the vault's share price.
pub const SHARE_PROBE: i128 = 1_000_000 * UNIT;

impl World {
    /// A fresh world: the protocol deployed, lenders in every vault (the fixture's), traders
    /// holding every token with 1,000 token 0 in account 0 (two of them levered), keepers
    /// funded and approved.
    pub fn new() -> World {
        let p = Protocol::new(&[USD, 2 * USD, USD / 2], &[(0, 1), (1, 2)], POOL_DEPTH);
        let f = AuctionFixture::on(p, default_params());
        let fund = |amount: i128| {
            let who = f.p.funded(0, amount * UNIT);
            for i in 1..TOKENS {
                f.p.mint(i, &who, amount * UNIT);
            }
            who
        };
        let lenders: std::vec::Vec<Address> = (0..LENDERS).map(|_| fund(WALLET)).collect();
        let traders: std::vec::Vec<Address> = (0..TRADERS).map(|_| fund(WALLET)).collect();
        let keepers: std::vec::Vec<Address> = (0..KEEPERS).map(|_| fund(KEEPER_WALLET)).collect();
        let expiry = f.env().ledger().sequence() + 1_000_000;
        for k in &keepers {
            for i in 0..TOKENS {
                f.p.token(i)
                    .approve(k, &f.auction.address, &(KEEPER_WALLET * UNIT), &expiry);
            }
        }
        for t in &traders {
            f.p.margin.deposit(t, &0, &f.p.tokens[0], &(1_000 * UNIT));
        }
        // Two accounts start levered to the edge (init health 1.01, maint 1.24), so that price
        // moves soon make them liquidatable: 330 token 1 (660 USD) and 1,320 token 2.
        f.p.margin
            .borrow(&traders[0], &0, &f.p.tokens[1], &(330 * UNIT), &traders[0]);
        f.p.margin.borrow(
            &traders[1],
            &0,
            &f.p.tokens[2],
            &(1_320 * UNIT),
            &traders[1],
        );
        f.p.fresh_budget();
        let mut w = World {
            f,
            lenders,
            traders,
            keepers,
            supply: [0; TOKENS],
            live: std::vec::Vec::new(),
            share_prices: [0; TOKENS],
            stats: Stats::default(),
            last: None,
        };
        w.supply = w.held();
        w.after_check();
        w
    }

    pub fn env(&self) -> &Env {
        self.f.env()
    }

    pub fn p(&self) -> &Protocol<'static> {
        &self.f.p
    }

    /// The attacker's wallet.
    pub fn attacker(&self) -> &Address {
        &self.traders[TRADERS - 1]
    }

    /// Every address that may hold tokens: actors, the contracts, the pools.
    pub fn holders(&self) -> std::vec::Vec<Address> {
        let p = self.p();
        let mut h: std::vec::Vec<Address> = self.lenders.clone();
        h.extend(self.traders.iter().cloned());
        h.extend(self.keepers.iter().cloned());
        h.push(p.margin.address.clone());
        h.push(self.f.auction.address.clone());
        h.push(self.f.receiver.address.clone());
        h.push(p.admin.clone());
        h.extend(p.vaults.iter().map(|v| v.address.clone()));
        h.extend(p.pools.iter().map(|(_, _, a)| a.clone()));
        h
    }

    /// Per token, the sum over [`World::holders`].
    pub fn held(&self) -> [i128; TOKENS] {
        let holders = self.holders();
        core::array::from_fn(|i| holders.iter().map(|h| self.p().balance(i, h)).sum())
    }

    /// Mints `amount` of token `i` to `to`, keeping the supply books.
    pub fn mint(&mut self, i: usize, to: &Address, amount: i128) {
        self.f.p.mint(i, to, amount);
        self.supply[i] += amount;
    }

    /// Every `(owner, id)` the actions can touch.
    pub fn accounts(&self) -> std::vec::Vec<(Address, u32)> {
        let mut out = std::vec::Vec::new();
        for t in &self.traders {
            for id in 0..ACCOUNTS {
                out.push((t.clone(), id));
            }
        }
        out
    }

    /// Per vault, `convert_to_assets(SHARE_PROBE)`.
    pub fn share_price_now(&self) -> [i128; TOKENS] {
        core::array::from_fn(|i| self.p().vaults[i].convert_to_assets(&SHARE_PROBE))
    }

    /// Records what the next step's checks compare against, and drops closed auctions.
    pub fn after_check(&mut self) {
        self.share_prices = self.share_price_now();
        let auction = &self.f.auction;
        self.live
            .retain(|&aid| matches!(auction.try_auction(&aid), Ok(Ok(_))));
        self.last = Some(self.snapshot());
        self.f.p.fresh_budget();
    }
}

impl Default for World {
    fn default() -> Self {
        Self::new()
    }
}
