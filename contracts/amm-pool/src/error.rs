use soroban_sdk::contracterror;

/// Errors of the AMM pool (650–699, docs/ERRORS.md). Every error aborts the call, so a failed
/// call changes nothing: no reserve, share balance or token balance moves.
#[contracterror]
#[derive(Copy, Clone, Debug, Eq, PartialEq, PartialOrd, Ord)]
#[repr(u32)]
pub enum Error {
    /// Constructor: the fee is negative or above [`crate::MAX_FEE`].
    InvalidFee = 650,
    /// The two tokens are the same (constructor, or a swap from a token to itself).
    SameToken = 651,
    /// A token that is not one of the pool's pair.
    UnknownToken = 652,
    /// An amount is zero or negative, or a minimum is negative.
    InvalidAmount = 653,
    /// `swap_exact_in`: the pool's balance of `token_in` exceeds its reserve by less than
    /// `amount_in` (the caller did not pay).
    InsufficientInput = 654,
    /// A result is below the caller's minimum (`min_out`, `min_shares`, `min_a`, `min_b`).
    BelowMinimum = 655,
    /// The pool has no liquidity yet: no swap or quote before the first deposit.
    InsufficientLiquidity = 656,
    /// The amounts are too small: a swap would pay out 0, a deposit would mint 0 shares (a first
    /// deposit: not more than [`crate::MINIMUM_LIQUIDITY`]), a withdrawal would return 0 of a
    /// token.
    AmountTooSmall = 657,
    /// `remove_liquidity` of more shares than the provider holds.
    InsufficientShares = 658,
    /// A result does not fit `i128` (a reserve, a share supply, an intermediate product).
    Overflow = 659,
    /// The constant product would decrease. Unreachable by construction; checked so that a math
    /// bug aborts instead of leaking reserves.
    KDecreased = 660,
    /// The pool's configuration is missing (a deployment that skipped the constructor).
    NotInitialized = 661,
}
