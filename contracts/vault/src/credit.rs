//! The credit line of the registered borrower (margin-account) and the protocol reserve, as
//! operations on the loaded [`Pool`].

use risk_core::interest::{self, shares_for_debt};
use risk_core::Rounding;
use soroban_sdk::Address;

use crate::error::VaultError;
use crate::pool::{check_amount, Pool};

fn add(a: i128, b: i128) -> Result<i128, VaultError> {
    a.checked_add(b).ok_or(VaultError::Overflow)
}

fn sub(a: i128, b: i128) -> Result<i128, VaultError> {
    a.checked_sub(b).ok_or(VaultError::Overflow)
}

impl Pool {
    /// The registered borrower.
    ///
    /// # Errors
    /// * [`VaultError::NoBorrower`] - none is registered.
    pub fn borrower(&self) -> Result<Address, VaultError> {
        self.config.borrower.clone().ok_or(VaultError::NoBorrower)
    }

    /// Lends `amount` of cash; returns the debt shares minted (rounded up).
    ///
    /// # Errors
    /// `NegativeAmount`, `ZeroAmount`, `BorrowsPaused`, `InsufficientCash`, `BorrowCapExceeded`,
    /// `MaxUtilizationExceeded`.
    pub fn borrow(&mut self, amount: i128) -> Result<i128, VaultError> {
        check_amount(amount)?;
        if self.config.borrows_paused {
            return Err(VaultError::BorrowsPaused);
        }
        if amount > self.state.cash {
            return Err(VaultError::InsufficientCash);
        }
        let shares = shares_for_debt(amount, self.index, Rounding::Ceil)?;
        self.state.debt_shares = add(self.state.debt_shares, shares)?;
        self.state.cash -= amount;
        self.refresh_debt()?;
        if self.debt > self.config.params.borrow_cap {
            return Err(VaultError::BorrowCapExceeded);
        }
        let utilization = interest::utilization(self.debt, self.total_assets()?)?;
        if utilization > self.config.params.max_utilization()? {
            return Err(VaultError::MaxUtilizationExceeded);
        }
        Ok(shares)
    }

    /// Takes a repayment of `amount`; returns the debt shares burned (rounded down). Repaying
    /// `ceil(shares * index)` burns exactly `shares`.
    ///
    /// # Errors
    /// `NegativeAmount`, `ZeroAmount`, `ExceedsDebt`.
    pub fn repay(&mut self, amount: i128) -> Result<i128, VaultError> {
        let burned = self.burn_debt(amount)?;
        self.state.cash = add(self.state.cash, amount)?;
        Ok(burned)
    }

    /// Removes `amount` of settled bad debt from the books; returns the debt shares burned
    /// (rounded down, as for a repayment). Lenders bear the loss through `total_assets`; the
    /// reserve is cut only where it would exceed what the pool still has (`cash + debt`).
    ///
    /// # Errors
    /// `NegativeAmount`, `ZeroAmount`, `ExceedsDebt`.
    pub fn write_off(&mut self, amount: i128) -> Result<i128, VaultError> {
        let burned = self.burn_debt(amount)?;
        let backing = add(self.state.cash, self.debt)?;
        self.state.reserves = self.state.reserves.min(backing);
        Ok(burned)
    }

    fn burn_debt(&mut self, amount: i128) -> Result<i128, VaultError> {
        check_amount(amount)?;
        if amount > self.debt {
            return Err(VaultError::ExceedsDebt);
        }
        let burned =
            shares_for_debt(amount, self.index, Rounding::Floor)?.min(self.state.debt_shares);
        self.state.debt_shares = sub(self.state.debt_shares, burned)?;
        self.refresh_debt()?;
        Ok(burned)
    }

    /// Pays `amount` of the protocol reserve out of cash.
    ///
    /// # Errors
    /// `NegativeAmount`, `ZeroAmount`, `ExceedsReserves`, `InsufficientCash`.
    pub fn claim_reserves(&mut self, amount: i128) -> Result<(), VaultError> {
        check_amount(amount)?;
        if amount > self.state.reserves {
            return Err(VaultError::ExceedsReserves);
        }
        if amount > self.state.cash {
            return Err(VaultError::InsufficientCash);
        }
        self.state.reserves -= amount;
        self.state.cash -= amount;
        Ok(())
    }

    /// The share price (assets per share, 7 decimals, rounded down).
    pub fn share_price(&self) -> Result<i128, VaultError> {
        Ok(interest::share_price_abi(
            self.total_assets()?,
            self.state.total_supply,
        )?)
    }
}
