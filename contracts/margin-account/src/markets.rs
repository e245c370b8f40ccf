//! The assets one call touches ([`Markets`]): their records loaded once, changed in memory, and
//! written back once; and the vault calls on them (the sync cache refresh and the token moves that
//! margin-account authorises as itself).

use arrayvec::ArrayVec;
use soroban_sdk::auth::{ContractContext, InvokerContractAuthEntry, SubContractInvocation};
use soroban_sdk::{symbol_short, vec, Address, Env, IntoVal};

use crate::clients::VaultClient;
use crate::events::VaultSynced;
use crate::record::AssetRecord;
use crate::{storage, Error};

/// Most distinct assets one call may touch (a `submit` touching more is refused).
pub const MAX_TOUCHED: usize = 8;

/// A touched asset.
#[derive(Clone, Debug)]
pub struct Market {
    pub asset: Address,
    pub vault: Address,
    pub rec: AssetRecord,
    pub dirty: bool,
}

/// The touched assets of one call, in load order (the slot of a market is its place here).
///
/// A fixed-capacity vector whose unused room is never initialised: an array of `Option`s (a
/// ~2.5 KB template, or a loop of tags) is written on every call and, built by value, copied
/// once more with the VM's byte-wise `memcpy` (~11k fuel, ~44k CPU instructions, a call).
pub struct Markets {
    items: ArrayVec<Market, MAX_TOUCHED>,
}

impl Markets {
    /// No touched asset.
    #[inline(always)]
    pub const fn new() -> Markets {
        Markets {
            items: ArrayVec::new_const(),
        }
    }

    /// The slot of `asset`, loading its record on first use.
    ///
    /// # Errors
    /// `UnknownAsset`; `InvalidRequests` beyond [`MAX_TOUCHED`] assets.
    pub fn load(&mut self, env: &Env, asset: &Address) -> Result<usize, Error> {
        if let Some(at) = self.slots().position(|m| m.asset == *asset) {
            return Ok(at);
        }
        if self.items.is_full() {
            return Err(Error::InvalidRequests);
        }
        let (vault, rec) = storage::record(env, asset)?;
        self.items
            .try_push(Market {
                asset: asset.clone(),
                vault,
                rec,
                dirty: false,
            })
            .map_err(|_| Error::InvalidRequests)?;
        Ok(self.items.len() - 1)
    }

    fn slots(&self) -> impl Iterator<Item = &Market> {
        self.items.iter()
    }

    /// The registry index of a touched `asset`, if touched.
    pub fn index_of(&self, asset: &Address) -> Option<u32> {
        self.slots()
            .find(|m| m.asset == *asset)
            .map(|m| m.rec.index)
    }

    /// The touched market of registry index `idx`, if any.
    pub fn by_index(&self, idx: u32) -> Option<&Market> {
        self.slots().find(|m| m.rec.index == idx)
    }

    pub fn get(&self, slot: usize) -> &Market {
        // Slots come from `load`, which fills them in order.
        self.items.get(slot).unwrap_or_else(|| unreachable_slot())
    }

    pub fn get_mut(&mut self, slot: usize) -> &mut Market {
        match self.items.get_mut(slot) {
            Some(m) => {
                m.dirty = true;
                m
            }
            None => unreachable_slot(),
        }
    }

    /// Writes back the records that changed.
    pub fn save(&self, env: &Env) {
        for m in self.slots().filter(|m| m.dirty) {
            storage::set_record(env, &m.asset, &m.rec);
        }
    }
}

impl Default for Markets {
    fn default() -> Self {
        Markets::new()
    }
}

#[cold]
fn unreachable_slot() -> ! {
    // A slot index always comes from `Markets::load`; this is never reached.
    core::panic!()
}

/// Refreshes the market's vault cache from the vault when it is older than `interval` seconds,
/// or when `force` and it is not from this ledger second (where it is exact).
///
/// # Notes
/// One vault view (`credit_state`) per refresh.
pub fn sync(env: &Env, m: &mut Market, now: u64, interval: u64, force: bool) -> Result<(), Error> {
    let age = now.saturating_sub(m.rec.synced_at);
    if age == 0 || (!force && age <= interval) {
        return Ok(());
    }
    refresh(env, m, now)
}

/// Reads the vault and refreshes the cache unconditionally.
pub fn refresh(env: &Env, m: &mut Market, now: u64) -> Result<(), Error> {
    let vault = VaultClient::new(env, &m.vault);
    m.rec.sync(vault.credit_state(), now)?;
    m.dirty = true;
    VaultSynced {
        asset: m.asset.clone(),
        share_price: m.rec.share_price,
        debt_index: m.rec.debt_index,
        max_rate: m.rec.max_rate,
    }
    .publish(env);
    Ok(())
}

/// Authorises, as margin-account, the `transfer(self, to, amount)` of `token` that the vault
/// makes on margin-account's behalf in the call that follows (a deposit or repayment of tokens
/// margin-account holds: a trade's proceeds).
pub fn authorize_transfer(env: &Env, token: &Address, to: &Address, amount: i128) {
    let me = env.current_contract_address();
    let args = (me, to.clone(), amount).into_val(env);
    let entry = InvokerContractAuthEntry::Contract(SubContractInvocation {
        context: ContractContext {
            contract: token.clone(),
            fn_name: symbol_short!("transfer"),
            args,
        },
        sub_invocations: vec![env],
    });
    env.authorize_as_current_contract(vec![env, entry]);
}
