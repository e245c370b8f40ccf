//! The shared shape of the non-negative fixed-point newtypes ([`Ratio`](crate::Ratio),
//! [`Value`](crate::Value), [`Price`](crate::Price)): one scale per type, so a value cannot be
//! passed where a ratio or a price is expected.

/// Declares the constructors, accessors and checked sums common to a non-negative newtype over
/// [`Fx`](crate::Fx).
macro_rules! non_negative_fixed {
    ($name:ident, $what:literal) => {
        impl $name {
            /// Zero.
            pub const ZERO: $name = $name(crate::Fx::ZERO);

            /// The largest representable quantity (about 6.04e23).
            pub const MAX: $name = $name(crate::Fx::MAX);

            #[doc = concat!("The ", $what, " held by a fixed-point number.")]
            ///
            /// # Errors
            /// * [`RiskError::NegativeAmount`](crate::RiskError::NegativeAmount) - `fx < 0`.
            pub fn from_fixed(fx: crate::Fx) -> Result<$name, crate::RiskError> {
                if fx < crate::Fx::ZERO {
                    return Err(crate::RiskError::NegativeAmount);
                }
                Ok($name(fx))
            }

            /// The fixed-point number (never negative).
            pub const fn to_fixed(self) -> crate::Fx {
                self.0
            }

            /// The raw bits of the fixed-point number, for compact storage (`Fx::to_bits`).
            pub const fn to_bits(self) -> i128 {
                self.0.to_bits()
            }

            #[doc = concat!("The ", $what, " stored as raw bits by [`Self::to_bits`].")]
            ///
            /// # Errors
            /// * [`RiskError::NegativeAmount`](crate::RiskError::NegativeAmount) - `bits < 0`.
            pub fn from_bits(bits: i128) -> Result<$name, crate::RiskError> {
                Self::from_fixed(crate::Fx::from_bits(bits))
            }

            /// Whether this is zero.
            pub fn is_zero(self) -> bool {
                self.0 == crate::Fx::ZERO
            }

            /// `self + rhs` (exact).
            ///
            /// # Errors
            /// * [`RiskError::Overflow`](crate::RiskError::Overflow) - the sum exceeds `MAX`.
            pub fn checked_add(self, rhs: $name) -> Result<$name, crate::RiskError> {
                self.0
                    .checked_add(rhs.0)
                    .map($name)
                    .ok_or(crate::RiskError::Overflow)
            }

            /// `self - rhs` (exact).
            ///
            /// # Errors
            /// * [`RiskError::Underflow`](crate::RiskError::Underflow) - `rhs > self`.
            pub fn checked_sub(self, rhs: $name) -> Result<$name, crate::RiskError> {
                if rhs.0 > self.0 {
                    return Err(crate::RiskError::Underflow);
                }
                Ok($name(self.0 - rhs.0))
            }

            /// The magnitude's bits as `u128` (non-negative by construction).
            #[inline]
            pub(crate) const fn magnitude(self) -> u128 {
                self.0.to_bits() as u128
            }

            /// From bits known to be in `0..2^127` (results of the `math` helpers).
            #[inline]
            pub(crate) const fn from_magnitude(bits: u128) -> $name {
                $name(crate::Fx::from_bits(bits as i128))
            }
        }
    };
}

pub(crate) use non_negative_fixed;
