//! [`Session`]: one call on one account. The account's positions and the touched assets are
//! loaded once, every action moves tokens through the vaults and updates them in memory, and
//! [`Session::finish`] writes back what changed. The health check runs once, at the end
//! ([`crate::health`]).

use risk_core::Rounding;
use soroban_sdk::{Address, Env, Vec};

use crate::account::{Positions, MAX_POSITIONS_LIMIT};
use crate::clients::VaultClient;
use crate::events::AccountOpened;
use crate::markets::{self, Markets};
use crate::math::shares_to_tokens;
use crate::types::AssetMode;
use crate::{storage, Error};

/// Most accounts one owner may open.
pub const MAX_ACCOUNTS_PER_OWNER: u32 = 64;

/// What a credit did: `repaid` against the debt, `deposited` as collateral.
#[derive(Clone, Copy, Debug, Default, Eq, PartialEq)]
pub struct Credit {
    pub repaid: i128,
    pub deposited: i128,
}

/// The memory a [`Session`] works in: the decoded positions (~0.5 KB) and the touched markets
/// (~2.5 KB). It lives in the entry point's frame and the session borrows it, so none of it is
/// ever moved: the VM's `memcpy` is a byte loop (~9 fuel, ~36 CPU instructions, a byte), and
/// returning the session by value cost ~37k fuel per call.
pub struct Workspace {
    positions: Positions,
    markets: Markets,
}

impl Workspace {
    /// Empty positions and no touched market (set up in place).
    #[inline(always)]
    pub fn new(env: &Env) -> Workspace {
        Workspace {
            positions: Positions::new(env),
            markets: Markets::new(),
        }
    }
}

/// One call on one account.
pub struct Session<'w> {
    pub env: Env,
    pub now: u64,
    pub me: Address,
    pub owner: Address,
    pub id: u32,
    pub positions: &'w mut Positions,
    pub markets: &'w mut Markets,
    sync_interval: u64,
    /// Set by any action that can lower health (a withdrawal, a borrow).
    pub raised_risk: bool,
    /// Market slots whose debt grew (checked against `min_debt_value` at the end).
    pub debt_grew: u32,
    /// A liquidator settlement: a returned lot is the account's own collateral coming back, so
    /// it is taken whatever the asset's mode, deposit cap or a lowered `max_positions`.
    pub liquidation: bool,
}

/// `Ok` for a positive amount.
///
/// # Errors
/// `NegativeAmount`, `ZeroAmount`.
pub fn check_amount(amount: i128) -> Result<(), Error> {
    if amount < 0 {
        return Err(Error::NegativeAmount);
    }
    if amount == 0 {
        return Err(Error::ZeroAmount);
    }
    Ok(())
}

impl<'w> Session<'w> {
    /// Loads the account into `ws`. With `open`, a missing account is created (its owner's first deposit).
    ///
    /// # Errors
    /// `UnknownAccount` (missing and not `open`), `TooManyAccounts`.
    pub fn load(
        env: &Env,
        owner: &Address,
        id: u32,
        open: bool,
        ws: &'w mut Workspace,
    ) -> Result<Session<'w>, Error> {
        let Workspace { positions, markets } = ws;
        match storage::account(env, owner, id) {
            Some(entry) => positions.decode_into(entry)?,
            None if open => open_account(env, owner, id)?,
            None => return Err(Error::UnknownAccount),
        }
        Ok(Session {
            env: env.clone(),
            now: env.ledger().timestamp(),
            me: env.current_contract_address(),
            owner: owner.clone(),
            id,
            positions,
            markets,
            sync_interval: storage::sync_interval(env)?,
            raised_risk: false,
            debt_grew: 0,
            liquidation: false,
        })
    }

    /// The market slot of `asset`.
    pub fn market(&mut self, asset: &Address) -> Result<usize, Error> {
        self.markets.load(&self.env, asset)
    }

    /// The account's shares in the market.
    pub fn position(&self, slot: usize) -> i128 {
        self.positions.get(self.markets.get(slot).rec.index)
    }

    fn set_position(&mut self, slot: usize, shares: i128) -> Result<(), Error> {
        let m = self.markets.get(slot);
        let max = if self.liquidation {
            u32::MAX
        } else {
            storage::max_positions(&self.env)?.min(MAX_POSITIONS_LIMIT)
        };
        self.positions.set(m.rec.index, &m.asset, shares, max)
    }

    fn sync(&mut self, slot: usize, force: bool) -> Result<(), Error> {
        let (env, now, interval) = (self.env.clone(), self.now, self.sync_interval);
        markets::sync(&env, self.markets.get_mut(slot), now, interval, force)
    }

    /// Takes tokens of the market's asset from `from` into the account: up to `repay_max +
    /// deposit_max` repays the debt (never past zero), then up to `deposit_max` of the rest is
    /// deposited as collateral. What would exceed both is not taken.
    ///
    /// # Errors
    /// `AssetNotActive` (new collateral in a `ReduceOnly`/`Frozen` asset), `DepositCapExceeded`,
    /// `TooManyPositions`, vault errors.
    pub fn credit(
        &mut self,
        slot: usize,
        from: &Address,
        repay_max: i128,
        deposit_max: i128,
    ) -> Result<Credit, Error> {
        self.sync(slot, false)?;
        let mut pos = self.position(slot);
        let mut out = Credit::default();
        let total = repay_max.checked_add(deposit_max).ok_or(Error::Overflow)?;
        if pos < 0 {
            out.repaid = self.repay_debt(slot, from, -pos, total)?;
            pos = self.position(slot);
        }
        out.deposited = deposit_max.min(total - out.repaid);
        if out.deposited > 0 {
            let m = self.markets.get(slot);
            if m.rec.mode != AssetMode::Active && !self.liquidation {
                return Err(Error::AssetNotActive);
            }
            let (asset, vault) = (m.asset.clone(), m.vault.clone());
            if *from == self.me {
                markets::authorize_transfer(&self.env, &asset, &vault, out.deposited);
            }
            let client = VaultClient::new(&self.env, &vault);
            let shares = client.deposit(&out.deposited, &self.me, from, from);
            let rec = &mut self.markets.get_mut(slot).rec;
            rec.total_shares = rec
                .total_shares
                .checked_add(shares)
                .ok_or(Error::Overflow)?;
            if !self.liquidation
                && shares_to_tokens(rec.total_shares, rec.share_price, Rounding::Floor)?
                    > rec.deposit_cap
            {
                return Err(Error::DepositCapExceeded);
            }
            pos = pos.checked_add(shares).ok_or(Error::Overflow)?;
        }
        self.set_position(slot, pos)?;
        Ok(out)
    }

    /// Repays up to `amount` of the debt of `debt_shares`; returns the amount repaid.
    fn repay_debt(
        &mut self,
        slot: usize,
        from: &Address,
        debt_shares: i128,
        amount: i128,
    ) -> Result<i128, Error> {
        // The debt at the cached index is a lower bound of the debt now: below it a repayment
        // cannot overshoot. At or above it, the exact index (a fresh sync) caps the repayment.
        let rec = &self.markets.get(slot).rec;
        let owed_low = shares_to_tokens(debt_shares, rec.debt_index, Rounding::Floor)?;
        let repay = if amount < owed_low {
            amount
        } else {
            self.sync(slot, true)?;
            let rec = &self.markets.get(slot).rec;
            amount.min(shares_to_tokens(
                debt_shares,
                rec.debt_index,
                Rounding::Ceil,
            )?)
        };
        let m = self.markets.get(slot);
        let (asset, vault) = (m.asset.clone(), m.vault.clone());
        if *from == self.me {
            markets::authorize_transfer(&self.env, &asset, &vault, repay);
        }
        let burned = VaultClient::new(&self.env, &vault).repay(from, &repay);
        let burned = burned.min(debt_shares);
        let rec = &mut self.markets.get_mut(slot).rec;
        rec.total_debt_shares = rec
            .total_debt_shares
            .checked_sub(burned)
            .ok_or(Error::Overflow)?;
        self.set_position(slot, burned - debt_shares)?;
        Ok(repay)
    }

    /// Sends `amount` of the market's asset from the account to `to`: from collateral first,
    /// then, with `borrow`, on the vault's credit line. Returns the amount borrowed.
    ///
    /// When the collateral does not cover `amount`, all of it is redeemed and the rest borrowed;
    /// the redemption may pay a unit or two more than the cached price said (the share price's
    /// last bit), which `to` receives on top of `amount`.
    ///
    /// # Errors
    /// `InsufficientCollateral` (not enough collateral and no `borrow`), `AssetNotActive` (new
    /// debt in a `ReduceOnly`/`Frozen` asset), `BorrowCapExceeded`, `TooManyPositions`, vault
    /// errors.
    pub fn debit(
        &mut self,
        slot: usize,
        to: &Address,
        amount: i128,
        borrow: bool,
    ) -> Result<i128, Error> {
        self.raised_risk = true;
        self.sync(slot, false)?;
        let mut pos = self.position(slot);
        let mut rest = amount;
        if pos > 0 {
            let rec = &self.markets.get(slot).rec;
            let mut value_low = shares_to_tokens(pos, rec.share_price, Rounding::Floor)?;
            if amount > value_low {
                // Whether the collateral covers it (and so withdraw-or-borrow) needs the vault's
                // share price now; the cached one is a lower bound.
                self.sync(slot, true)?;
                let rec = &self.markets.get(slot).rec;
                value_low = shares_to_tokens(pos, rec.share_price, Rounding::Floor)?;
                // `floor(pos * price_bits)` is at most one unit below what the vault pays.
                if !borrow && amount > value_low.saturating_add(1) {
                    return Err(Error::InsufficientCollateral);
                }
            }
            let vault = VaultClient::new(&self.env, &self.markets.get(slot).vault);
            let burned = if amount <= value_low || !borrow {
                rest = 0;
                vault.withdraw(&amount, to, &self.me, &self.me)
            } else {
                rest = amount - vault.redeem(&pos, to, &self.me, &self.me).min(amount);
                pos
            };
            if burned > pos {
                return Err(Error::InsufficientCollateral);
            }
            let rec = &mut self.markets.get_mut(slot).rec;
            rec.total_shares = rec
                .total_shares
                .checked_sub(burned)
                .ok_or(Error::Overflow)?;
            pos -= burned;
        }
        if rest > 0 {
            pos = self.borrow(slot, to, rest, borrow, pos)?;
        }
        self.set_position(slot, pos)?;
        Ok(rest)
    }

    fn borrow(
        &mut self,
        slot: usize,
        to: &Address,
        amount: i128,
        allowed: bool,
        pos: i128,
    ) -> Result<i128, Error> {
        if !allowed {
            return Err(Error::InsufficientCollateral);
        }
        let m = self.markets.get(slot);
        if m.rec.mode != AssetMode::Active {
            return Err(Error::AssetNotActive);
        }
        let shares = VaultClient::new(&self.env, &m.vault).borrow(&amount, to);
        let now = self.now;
        let rec = &mut self.markets.get_mut(slot).rec;
        rec.total_debt_shares = rec
            .total_debt_shares
            .checked_add(shares)
            .ok_or(Error::Overflow)?;
        let total_debt =
            shares_to_tokens(rec.total_debt_shares, rec.index_at(now)?, Rounding::Ceil)?;
        if total_debt > rec.borrow_cap {
            return Err(Error::BorrowCapExceeded);
        }
        self.debt_grew |= 1 << slot;
        pos.checked_sub(shares).ok_or(Error::Overflow)
    }

    /// Writes the account and the touched assets back.
    pub fn finish(&self) {
        storage::set_account(
            &self.env,
            &self.owner,
            self.id,
            &self.positions.encode(&self.env),
        );
        self.markets.save(&self.env);
    }
}

fn open_account(env: &Env, owner: &Address, id: u32) -> Result<(), Error> {
    let mut ids: Vec<u32> = storage::owner_accounts(env, owner);
    if ids.len() >= MAX_ACCOUNTS_PER_OWNER {
        return Err(Error::TooManyAccounts);
    }
    ids.push_back(id);
    storage::set_owner_accounts(env, owner, &ids);
    AccountOpened {
        owner: owner.clone(),
        id,
    }
    .publish(env);
    Ok(())
}
