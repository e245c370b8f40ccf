//! The pool: configuration and totals loaded once per call into [`Pool`], interest accrued to
//! the current ledger, every operation computed on the cache, and the totals written back once.
//!
//! Accounting identities (SPEC §5, §12.1):
//! - `debt = ceil(debt_shares * borrow_index)`;
//! - `total_assets = cash + debt - reserves` (a write-off lowers `debt` itself, so the loss is
//!   out of `total_assets` as soon as it is recorded);
//! - lenders can redeem at most `total_assets`, and `cash + debt >= total_assets + reserves`.
//!
//! Every rounding favours the vault: shares minted and assets paid round down, assets taken and
//! shares burned round up, debt shares minted round up and burned round down, the index and the
//! rate round up. So the share price never falls except through [`Pool::write_off`].

use risk_core::interest::{self, BorrowIndex};
use risk_core::Rounding;
use soroban_sdk::{Address, Env};

use crate::error::VaultError;
use crate::storage::{self, Config, PoolState};

/// Interest accrued by [`Pool::load`], for the `InterestAccrued` event.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub struct Accrual {
    pub interest: i128,
    pub reserves_added: i128,
}

/// The vault's state for one call.
pub struct Pool {
    pub env: Env,
    pub config: Config,
    pub state: PoolState,
    pub index: BorrowIndex,
    /// `ceil(debt_shares * index)`, kept in step with both.
    pub debt: i128,
    /// Set when loading accrued interest.
    pub accrual: Option<Accrual>,
}

/// `Ok` for a positive amount.
///
/// # Errors
/// [`VaultError::NegativeAmount`], [`VaultError::ZeroAmount`].
pub fn check_amount(amount: i128) -> Result<(), VaultError> {
    if amount < 0 {
        return Err(VaultError::NegativeAmount);
    }
    if amount == 0 {
        return Err(VaultError::ZeroAmount);
    }
    Ok(())
}

fn add(a: i128, b: i128) -> Result<i128, VaultError> {
    a.checked_add(b).ok_or(VaultError::Overflow)
}

fn sub(a: i128, b: i128) -> Result<i128, VaultError> {
    a.checked_sub(b).ok_or(VaultError::Overflow)
}

impl Pool {
    /// Loads the config and totals and accrues interest to the current ledger (in memory).
    ///
    /// # Errors
    /// [`VaultError::NotInitialized`], or an arithmetic error of the accrual.
    pub fn load(env: &Env) -> Result<Pool, VaultError> {
        let config = storage::config(env)?;
        let state = storage::pool(env)?;
        let index = BorrowIndex::from_bits(state.borrow_index)?;
        let mut pool = Pool {
            env: env.clone(),
            config,
            state,
            index,
            debt: 0,
            accrual: None,
        };
        pool.refresh_debt()?;
        pool.accrue(env.ledger().timestamp())?;
        Ok(pool)
    }

    /// Writes the totals back.
    pub fn save(&mut self) {
        self.state.borrow_index = self.index.to_bits();
        storage::set_pool(&self.env, &self.state);
    }

    /// Accrues interest from the last accrual to `now` at the rate of the current utilization.
    fn accrue(&mut self, now: u64) -> Result<(), VaultError> {
        let elapsed = now.saturating_sub(self.state.last_accrual);
        if elapsed == 0 {
            return Ok(());
        }
        self.state.last_accrual = now;
        if self.state.debt_shares == 0 {
            return Ok(());
        }
        let debt_before = self.debt;
        let utilization = interest::utilization(debt_before, self.total_assets()?)?;
        let rate = self.config.params.curve()?.borrow_rate(utilization)?;
        self.index = interest::accrue_index(self.index, rate, elapsed)?;
        self.refresh_debt()?;
        let accrued = sub(self.debt, debt_before)?;
        let cut = interest::reserve_cut(accrued, self.config.params.reserve_factor()?)?;
        self.state.reserves = add(self.state.reserves, cut)?;
        if accrued > 0 {
            self.accrual = Some(Accrual {
                interest: accrued,
                reserves_added: cut,
            });
        }
        Ok(())
    }

    /// Recomputes [`Pool::debt`] after the debt shares or the index changed.
    pub fn refresh_debt(&mut self) -> Result<(), VaultError> {
        let shares = self.state.debt_shares;
        self.debt = interest::debt_for_shares(shares, self.index, Rounding::Ceil)?;
        Ok(())
    }

    /// What lenders own: `cash + debt - reserves`.
    pub fn total_assets(&self) -> Result<i128, VaultError> {
        sub(add(self.state.cash, self.debt)?, self.state.reserves)
    }

    /// Assets → shares at the current price.
    pub fn to_shares(&self, assets: i128, rounding: Rounding) -> Result<i128, VaultError> {
        let (total, supply) = (self.total_assets()?, self.state.total_supply);
        Ok(interest::assets_to_shares(assets, total, supply, rounding)?)
    }

    /// Shares → assets at the current price.
    pub fn to_assets(&self, shares: i128, rounding: Rounding) -> Result<i128, VaultError> {
        let (total, supply) = (self.total_assets()?, self.state.total_supply);
        Ok(interest::shares_to_assets(shares, total, supply, rounding)?)
    }

    /// Whether deposits are open for `receiver`: the registered borrower (margin-account, which
    /// deposits its users' collateral) is never paused, so a margin deposit is never blocked
    /// (SPEC §8).
    pub fn deposits_open(&self, receiver: Option<&Address>) -> bool {
        !self.config.deposits_paused
            || receiver.is_some_and(|r| self.config.borrower.as_ref() == Some(r))
    }

    /// Checks a deposit of `assets` for `receiver` against the pause and the cap.
    fn check_deposit(&self, assets: i128, receiver: Option<&Address>) -> Result<(), VaultError> {
        if !self.deposits_open(receiver) {
            return Err(VaultError::DepositsPaused);
        }
        if add(self.total_assets()?, assets)? > self.config.params.deposit_cap {
            return Err(VaultError::DepositCapExceeded);
        }
        Ok(())
    }

    /// The shares a deposit of `assets` mints (rounded down).
    ///
    /// # Errors
    /// `NegativeAmount`, `ZeroAmount`, `DepositsPaused`, `DepositCapExceeded`, `ZeroShares`.
    pub fn preview_deposit(
        &self,
        assets: i128,
        receiver: Option<&Address>,
    ) -> Result<i128, VaultError> {
        check_amount(assets)?;
        self.check_deposit(assets, receiver)?;
        let shares = self.to_shares(assets, Rounding::Floor)?;
        if shares == 0 {
            return Err(VaultError::ZeroShares);
        }
        Ok(shares)
    }

    /// The assets a mint of `shares` takes (rounded up).
    ///
    /// # Errors
    /// `NegativeAmount`, `ZeroAmount`, `DepositsPaused`, `DepositCapExceeded`.
    pub fn preview_mint(
        &self,
        shares: i128,
        receiver: Option<&Address>,
    ) -> Result<i128, VaultError> {
        check_amount(shares)?;
        let assets = self.to_assets(shares, Rounding::Ceil)?;
        self.check_deposit(assets, receiver)?;
        Ok(assets)
    }

    /// Books a deposit of `assets` for `shares`.
    pub fn add_deposit(&mut self, assets: i128, shares: i128) -> Result<(), VaultError> {
        self.state.cash = add(self.state.cash, assets)?;
        self.state.total_supply = add(self.state.total_supply, shares)?;
        Ok(())
    }

    /// The shares a withdrawal of `assets` burns (rounded up).
    ///
    /// # Errors
    /// `NegativeAmount`, `ZeroAmount`, `InsufficientCash`.
    pub fn preview_withdraw(&self, assets: i128) -> Result<i128, VaultError> {
        check_amount(assets)?;
        if assets > self.state.cash {
            return Err(VaultError::InsufficientCash);
        }
        self.to_shares(assets, Rounding::Ceil)
    }

    /// The assets a redemption of `shares` pays (rounded down).
    ///
    /// # Errors
    /// `NegativeAmount`, `ZeroAmount`, `ZeroAssets`, `InsufficientCash`.
    pub fn preview_redeem(&self, shares: i128) -> Result<i128, VaultError> {
        check_amount(shares)?;
        let assets = self.to_assets(shares, Rounding::Floor)?;
        if assets == 0 {
            return Err(VaultError::ZeroAssets);
        }
        if assets > self.state.cash {
            return Err(VaultError::InsufficientCash);
        }
        Ok(assets)
    }

    /// Books a withdrawal of `assets` for `shares`.
    pub fn remove_withdrawal(&mut self, assets: i128, shares: i128) -> Result<(), VaultError> {
        self.state.cash = sub(self.state.cash, assets)?;
        self.state.total_supply = sub(self.state.total_supply, shares)?;
        Ok(())
    }

    /// Retires `shares` burned by their holder: their value (rounded down) joins the reserve, so
    /// the share price does not move (by rounding, only up).
    pub fn forfeit(&mut self, shares: i128) -> Result<(), VaultError> {
        let value = self.to_assets(shares, Rounding::Floor)?;
        self.state.reserves = add(self.state.reserves, value)?;
        self.state.total_supply = sub(self.state.total_supply, shares)?;
        Ok(())
    }

    /// Most assets `receiver` may deposit now: the room under the cap, zero while paused.
    pub fn max_deposit(&self, receiver: &Address) -> Result<i128, VaultError> {
        if !self.deposits_open(Some(receiver)) {
            return Ok(0);
        }
        Ok(sub(self.config.params.deposit_cap, self.total_assets()?)?.max(0))
    }

    /// Most shares `receiver` may mint now: those whose rounded-up price fits the room
    /// (`i128::MAX` when the cap is effectively unlimited).
    pub fn max_mint(&self, receiver: &Address) -> Result<i128, VaultError> {
        let room = self.max_deposit(receiver)?;
        Ok(self.to_shares(room, Rounding::Floor).unwrap_or(i128::MAX))
    }

    /// Most assets `owner` holding `balance` shares may withdraw: their value, within cash.
    pub fn max_withdraw(&self, balance: i128) -> Result<i128, VaultError> {
        Ok(self
            .to_assets(balance, Rounding::Floor)?
            .min(self.state.cash))
    }

    /// Most shares `owner` holding `balance` may redeem: the largest `s <= balance` whose
    /// rounded-down value is within cash, `ceil((cash + 1) / price) - 1`.
    pub fn max_redeem(&self, balance: i128) -> Result<i128, VaultError> {
        let cash_plus_one = add(self.state.cash, 1)?;
        let within_cash = sub(self.to_shares(cash_plus_one, Rounding::Ceil)?, 1)?;
        Ok(balance.min(within_cash))
    }
}
