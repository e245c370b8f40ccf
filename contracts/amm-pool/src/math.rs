//! Constant-product math on plain integers: host-free, so the keeper and the simulator can quote
//! exactly what the contract pays.
//!
//! Amounts and reserves are non-negative `i128` token base units. Products of two amounts can
//! exceed 128 bits (two reserves of `1e20` base units already do), so every `a * b / c` goes
//! through [`risk_core::interest::mul_div`] with its 256-bit intermediate and an explicit rounding
//! direction, always the pool's favour: the fee rounds up, outputs and minted shares round down,
//! what a depositor pays for their shares rounds up.

use risk_core::{interest, Rounding};

use crate::Error;

/// 1.0 as a 7-decimal fee ratio (the ABI convention, SPEC §2).
pub const FEE_ONE: i128 = 10_000_000;
/// The highest swap fee a pool accepts: 10% (`1_000_000`). Anything above is a typo, not a
/// market.
pub const MAX_FEE: i128 = 1_000_000;
/// Shares minted by the first deposit to nobody, locked forever: they keep the share supply
/// (and so both reserves) from ever returning to zero, and make pushing the price of one share
/// out of reach of later depositors cost the attacker `MINIMUM_LIQUIDITY` shares' worth.
pub const MINIMUM_LIQUIDITY: i128 = 1_000;

/// The swap fee as a 7-decimal ratio in `[0, MAX_FEE]`.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub struct Fee(i128);

impl Fee {
    /// # Errors
    /// [`Error::InvalidFee`] when `ratio` is negative or above [`MAX_FEE`].
    pub fn from_abi(ratio: i128) -> Result<Fee, Error> {
        if (0..=MAX_FEE).contains(&ratio) {
            Ok(Fee(ratio))
        } else {
            Err(Error::InvalidFee)
        }
    }

    /// The ratio as it crosses the ABI (7 decimals).
    pub fn to_abi(self) -> i128 {
        self.0
    }

    /// The fee kept from `amount_in`: `ceil(amount_in * fee / FEE_ONE)`.
    pub fn charged_on(self, amount_in: i128) -> Result<i128, Error> {
        mul_div(amount_in, self.0, FEE_ONE, Rounding::Ceil)
    }
}

/// What a swap of an exact input pays.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub struct SwapQuote {
    /// Part of the input kept as the fee (it stays in the reserve: the LPs' income).
    pub fee_paid: i128,
    pub amount_out: i128,
}

/// The output of selling `amount_in` into reserves `(reserve_in, reserve_out)`:
///
/// ```text
/// fee_paid   = ceil(amount_in * fee / FEE_ONE)
/// net_in     = amount_in - fee_paid
/// amount_out = floor(reserve_out * net_in / (reserve_in + net_in))
/// ```
///
/// so `(reserve_in + net_in) * (reserve_out - amount_out) >= reserve_in * reserve_out`, and the
/// whole `amount_in` joins the reserve.
///
/// # Errors
/// * [`Error::InvalidAmount`] - `amount_in <= 0`.
/// * [`Error::InsufficientLiquidity`] - a reserve is not positive (the pool is empty).
/// * [`Error::AmountTooSmall`] - the output rounds to zero.
/// * [`Error::Overflow`] - `reserve_in + net_in` does not fit `i128`.
pub fn swap_out(
    amount_in: i128,
    reserve_in: i128,
    reserve_out: i128,
    fee: Fee,
) -> Result<SwapQuote, Error> {
    if amount_in <= 0 {
        return Err(Error::InvalidAmount);
    }
    if reserve_in <= 0 || reserve_out <= 0 {
        return Err(Error::InsufficientLiquidity);
    }
    let fee_paid = fee.charged_on(amount_in)?;
    // fee <= FEE_ONE, so fee_paid <= amount_in.
    let net_in = amount_in - fee_paid;
    let denominator = reserve_in.checked_add(net_in).ok_or(Error::Overflow)?;
    let amount_out = mul_div(reserve_out, net_in, denominator, Rounding::Floor)?;
    if amount_out == 0 {
        return Err(Error::AmountTooSmall);
    }
    Ok(SwapQuote {
        fee_paid,
        amount_out,
    })
}

/// Whether `new.0 * new.1 >= old.0 * old.1`, exactly, for non-negative reserves.
///
/// When exactly one reserve fell, compares it with `ceil(old product / the other new reserve)`,
/// a quotient that fits because that other reserve grew.
pub fn k_not_decreased(old: (i128, i128), new: (i128, i128)) -> Result<bool, Error> {
    let ((x0, y0), (x1, y1)) = (old, new);
    if x0 == 0 || y0 == 0 || (x1 >= x0 && y1 >= y0) {
        return Ok(x1 >= 0 && y1 >= 0);
    }
    if x1 < x0 && y1 < y0 {
        return Ok(false);
    }
    if x1 >= x0 {
        Ok(y1 >= mul_div(x0, y0, x1, Rounding::Ceil)?)
    } else {
        Ok(x1 >= mul_div(x0, y0, y1, Rounding::Ceil)?)
    }
}

/// A deposit's outcome: shares for the provider, shares locked, and the amounts taken.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub struct Deposit {
    pub shares: i128,
    /// [`MINIMUM_LIQUIDITY`] on the first deposit, else 0.
    pub locked: i128,
    pub amount_a: i128,
    pub amount_b: i128,
}

/// The shares a deposit of at most `(max_a, max_b)` mints, and what it takes.
///
/// ```text
/// first (total_shares = 0): shares = floor(sqrt(max_a * max_b)) - MINIMUM_LIQUIDITY,
///                           takes (max_a, max_b)
/// later:                    shares = min(floor(max_a * total / reserve_a),
///                                        floor(max_b * total / reserve_b)),
///                           takes (ceil(shares * reserve_a / total), ceil(shares * reserve_b / total))
/// ```
///
/// A later deposit takes only what its shares are worth at the current ratio (never more than
/// the maximum), so an off-ratio deposit neither donates its excess nor dilutes the other LPs.
///
/// # Errors
/// * [`Error::InvalidAmount`] - a maximum `<= 0`.
/// * [`Error::AmountTooSmall`] - no share would be minted.
/// * [`Error::InsufficientLiquidity`] - shares exist but a reserve is empty (unreachable).
/// * [`Error::Overflow`].
pub fn deposit(
    max_a: i128,
    max_b: i128,
    reserves: (i128, i128),
    total_shares: i128,
) -> Result<Deposit, Error> {
    if max_a <= 0 || max_b <= 0 {
        return Err(Error::InvalidAmount);
    }
    if total_shares == 0 {
        let shares = sqrt_product(max_a, max_b)? - MINIMUM_LIQUIDITY;
        if shares <= 0 {
            return Err(Error::AmountTooSmall);
        }
        return Ok(Deposit {
            shares,
            locked: MINIMUM_LIQUIDITY,
            amount_a: max_a,
            amount_b: max_b,
        });
    }
    let (reserve_a, reserve_b) = reserves;
    if reserve_a <= 0 || reserve_b <= 0 {
        return Err(Error::InsufficientLiquidity);
    }
    let shares = mul_div(max_a, total_shares, reserve_a, Rounding::Floor)?.min(mul_div(
        max_b,
        total_shares,
        reserve_b,
        Rounding::Floor,
    )?);
    if shares == 0 {
        return Err(Error::AmountTooSmall);
    }
    Ok(Deposit {
        shares,
        locked: 0,
        amount_a: mul_div(shares, reserve_a, total_shares, Rounding::Ceil)?,
        amount_b: mul_div(shares, reserve_b, total_shares, Rounding::Ceil)?,
    })
}

/// What burning `shares` of `total_shares` returns:
/// `(floor(shares * reserve_a / total), floor(shares * reserve_b / total))`.
///
/// # Errors
/// * [`Error::InvalidAmount`] - `shares <= 0`.
/// * [`Error::InsufficientShares`] - `shares > total_shares`.
/// * [`Error::AmountTooSmall`] - either amount rounds to zero (the burn would be a gift).
pub fn withdrawal(
    shares: i128,
    reserves: (i128, i128),
    total_shares: i128,
) -> Result<(i128, i128), Error> {
    if shares <= 0 {
        return Err(Error::InvalidAmount);
    }
    if shares > total_shares {
        return Err(Error::InsufficientShares);
    }
    let amount_a = mul_div(shares, reserves.0, total_shares, Rounding::Floor)?;
    let amount_b = mul_div(shares, reserves.1, total_shares, Rounding::Floor)?;
    if amount_a == 0 || amount_b == 0 {
        return Err(Error::AmountTooSmall);
    }
    Ok((amount_a, amount_b))
}

/// `floor(sqrt(a * b))` for `a, b >= 0`, by integer Newton iteration on the 256-bit product.
///
/// Starts from `2^ceil(bits / 2) >= sqrt(a * b)` (with `a * b < 2^bits`), less than three times
/// the root, so it converges in a handful of steps; from above, the iteration
/// `x' = floor((x + floor(a * b / x)) / 2)` decreases strictly until it reaches the floor of the
/// root.
///
/// # Errors
/// [`Error::InvalidAmount`] for a negative factor; [`Error::Overflow`] (only for factors near
/// `i128::MAX`).
pub fn sqrt_product(a: i128, b: i128) -> Result<i128, Error> {
    let (a, b) = (unsigned(a)?, unsigned(b)?);
    if a == 0 || b == 0 {
        return Ok(0);
    }
    // Both factors are below 2^127, so bits <= 254 and the start fits: 2^127 at most.
    let bits = (u128::BITS - a.leading_zeros()) + (u128::BITS - b.leading_zeros());
    let mut root: u128 = 1 << bits.div_ceil(2);
    loop {
        let quotient =
            interest::mul_div(a, b, root, Rounding::Floor).map_err(|_| Error::Overflow)?;
        let next = root.checked_add(quotient).ok_or(Error::Overflow)? / 2;
        if next >= root {
            return i128::try_from(root).map_err(|_| Error::Overflow);
        }
        root = next;
    }
}

/// `a * b / c` for non-negative `a`, `b` and positive `c`, with a 256-bit intermediate.
///
/// # Errors
/// [`Error::InvalidAmount`] for a negative input; [`Error::Overflow`] when `c == 0` (callers
/// rule it out) or the quotient does not fit `i128`.
pub fn mul_div(a: i128, b: i128, c: i128, rounding: Rounding) -> Result<i128, Error> {
    let quotient = interest::mul_div(unsigned(a)?, unsigned(b)?, unsigned(c)?, rounding)
        .map_err(|_| Error::Overflow)?;
    i128::try_from(quotient).map_err(|_| Error::Overflow)
}

fn unsigned(value: i128) -> Result<u128, Error> {
    u128::try_from(value).map_err(|_| Error::InvalidAmount)
}

#[cfg(test)]
mod test;
