use soroban_sdk::contracterror;

/// Errors of the roles and the timelock, codes 500–599 (see docs/ERRORS.md).
///
/// A contract that surfaces one of these from its own entry points mirrors the variant in its own
/// error enum with the same name and code.
#[contracterror]
#[derive(Copy, Clone, Debug, Eq, PartialEq, PartialOrd, Ord)]
#[repr(u32)]
pub enum GovernanceError {
    /// A role was read before [`crate::init`] ran (a contract whose constructor skipped it).
    NotInitialized = 500,
    /// [`crate::init`] ran twice.
    AlreadyInitialized = 501,
    /// A timelock delay below [`crate::MIN_DELAY`].
    DelayTooShort = 502,
    /// A timelock delay above [`crate::MAX_DELAY`].
    DelayTooLong = 503,
    /// No change of this kind and subject is queued.
    NotQueued = 504,
    /// A live (not expired) change of this kind and subject is already queued: cancel it first.
    AlreadyQueued = 505,
    /// The change is queued but its eta has not been reached.
    TooEarly = 506,
    /// The change was not applied within [`crate::GRACE_PERIOD`] after its eta.
    Expired = 507,
    /// The queued value does not decode as the type the caller asked for (a contract bug: two
    /// entry points using one kind for different types).
    ValueMismatch = 508,
    /// A timestamp computation overflowed `u64`.
    TimeOverflow = 509,
}

/// Implements `From<GovernanceError>` for a contract's own error enum, which must mirror every
/// governance variant with the same name (and, by the registry's rule, the same code). A missing
/// mirror is a compile error, so one code keeps one meaning whichever contract returns it.
///
/// ```ignore
/// governance::mirror_governance_errors!(Error);
/// ```
#[macro_export]
macro_rules! mirror_governance_errors {
    ($error:ty) => {
        impl From<$crate::GovernanceError> for $error {
            fn from(e: $crate::GovernanceError) -> Self {
                use $crate::GovernanceError as G;
                match e {
                    G::NotInitialized => Self::NotInitialized,
                    G::AlreadyInitialized => Self::AlreadyInitialized,
                    G::DelayTooShort => Self::DelayTooShort,
                    G::DelayTooLong => Self::DelayTooLong,
                    G::NotQueued => Self::NotQueued,
                    G::AlreadyQueued => Self::AlreadyQueued,
                    G::TooEarly => Self::TooEarly,
                    G::Expired => Self::Expired,
                    G::ValueMismatch => Self::ValueMismatch,
                    G::TimeOverflow => Self::TimeOverflow,
                }
            }
        }
    };
}
