//! The calls liquidation-auction makes, as small local client traits with mirrors of the types
//! they return, so that this crate links none of the other contracts' code.

use soroban_sdk::{contractclient, contracttype, Address, Bytes, Env, Map, Vec};

/// One asset's prices from oracle-adapter (mirror of `oracle_adapter::Quote`).
#[contracttype]
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub struct Quote {
    pub spot: i128,
    pub low: i128,
    pub high: i128,
    pub timestamp: u64,
}

/// One leg of margin-account's `liquidation_view` (see its word layout).
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct PairLeg {
    pub vault: Address,
    pub decimals: u32,
    pub shares: i128,
    pub tokens: i128,
    pub rate: i128,
    pub asset_weight_init: i128,
    pub asset_weight_maint: i128,
    pub liab_weight_init: i128,
    pub liab_weight_maint: i128,
    pub quote: Quote,
}

/// margin-account's `liquidation_view`, decoded.
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct LiquidationView {
    pub maint_assets: i128,
    pub maint_liabs: i128,
    pub end_assets: i128,
    pub end_liabs: i128,
    pub has_collateral: bool,
    pub price_decimals: u32,
    pub collateral: PairLeg,
    pub debt: PairLeg,
    pub liquidation_penalty: i128,
    pub min_debt_value: i128,
}

/// Words of margin-account's `liquidation_view`: 8 account words and 11 per leg.
const VIEW_WORDS: usize = 30;

fn leg(vault: Address, w: &[i128; VIEW_WORDS], at: usize) -> PairLeg {
    let g = |k: usize| w.get(at + k).copied().unwrap_or(0);
    PairLeg {
        vault,
        decimals: g(0) as u32,
        shares: g(1),
        tokens: g(2),
        rate: g(3),
        asset_weight_init: g(4),
        asset_weight_maint: g(5),
        liab_weight_init: g(6),
        liab_weight_maint: g(7),
        quote: Quote {
            spot: g(8),
            low: g(9),
            high: g(10),
            timestamp: 0,
        },
    }
}

impl LiquidationView {
    /// Decodes `(collateral vault, debt vault, words)`, the words 16 little-endian bytes each;
    /// `None` on another length. Inlined into its one caller so the ~0.4 KB view is built in
    /// place rather than moved out of an `Option`.
    #[inline(always)]
    pub fn decode(raw: (Address, Address, Bytes)) -> Option<LiquidationView> {
        let (cv, dv, bytes) = raw;
        if bytes.len() as usize != VIEW_WORDS * 16 {
            return None;
        }
        let mut buf = [0u8; VIEW_WORDS * 16];
        bytes.copy_into_slice(&mut buf);
        let mut w = [0i128; VIEW_WORDS];
        for (word, chunk) in w.iter_mut().zip(buf.chunks_exact(16)) {
            *word = i128::from_le_bytes(<[u8; 16]>::try_from(chunk).ok()?);
        }
        let g = |k: usize| w[k];
        Some(LiquidationView {
            maint_assets: g(0),
            maint_liabs: g(1),
            end_assets: g(2),
            end_liabs: g(3),
            has_collateral: g(4) != 0,
            price_decimals: g(5) as u32,
            liquidation_penalty: g(6),
            min_debt_value: g(7),
            collateral: leg(cv, &w, 8),
            debt: leg(dv, &w, 19),
        })
    }
}

/// Mirror of margin-account's `AssetMode`.
#[contracttype]
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
#[repr(u32)]
pub enum AssetMode {
    Active = 0,
    ReduceOnly = 1,
    Frozen = 2,
}

/// Mirror of margin-account's `AssetConfig` (only `vault` is read).
#[contracttype]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct AssetConfig {
    pub vault: Address,
    pub asset_weight_init: i128,
    pub asset_weight_maint: i128,
    pub liab_weight_init: i128,
    pub liab_weight_maint: i128,
    pub liquidation_penalty: i128,
    pub min_debt_value: i128,
    pub max_trade_slippage: i128,
    pub deposit_cap: i128,
    pub borrow_cap: i128,
    pub mode: AssetMode,
}

/// margin-account: the liquidator seam and the views the auction reads.
#[allow(dead_code)]
#[contractclient(name = "MarginClient")]
pub trait MarginApi {
    fn liquidation_view(
        env: Env,
        owner: Address,
        id: u32,
        collateral: Address,
        debt: Address,
    ) -> (Address, Address, Bytes);
    fn seize(env: Env, owner: Address, id: u32, asset: Address, shares: i128) -> i128;
    #[allow(clippy::too_many_arguments)]
    fn settle(
        env: Env,
        owner: Address,
        id: u32,
        debt: Address,
        repay: i128,
        collateral: Address,
        returned: i128,
    ) -> i128;
    fn write_off_debt(env: Env, owner: Address, id: u32, asset: Address) -> i128;
    fn positions(env: Env, owner: Address, id: u32) -> Map<Address, i128>;
    fn asset_config(env: Env, asset: Address) -> AssetConfig;
}

/// oracle-adapter.
#[allow(dead_code)]
#[contractclient(name = "AdapterClient")]
pub trait AdapterApi {
    fn quotes(env: Env, assets: Vec<Address>) -> Vec<Quote>;
    fn decimals(env: Env) -> u32;
}

/// A flash-take receiver (see keeper-receiver).
#[allow(dead_code)]
#[contractclient(name = "ReceiverClient")]
pub trait ReceiverApi {
    fn on_auction_take(
        env: Env,
        keeper: Address,
        auction_id: u64,
        slice: i128,
        owe: i128,
        data: Bytes,
    );
}
