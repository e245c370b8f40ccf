//! Strkeys (SEP-23) and the keeper's signing key.
//!
//! Strkey encoding and decoding (version byte, CRC16-XModem checksum, unpadded base32, and the
//! canonical-encoding checks SEP-23 requires) come from the `stellar-strkey` crate, which
//! `stellar-xdr` already depends on; this module maps strkeys to the XDR types the keeper uses.

use std::fmt;
use std::str::FromStr;

use ed25519_dalek::{Signer, SigningKey};
use stellar_xdr::{
    AccountId, DecoratedSignature, Hash, MuxedAccount, PublicKey, ScAddress, Signature,
    SignatureHint, Uint256,
};

/// A strkey that could not be decoded, or is of the wrong kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyError(pub String);

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid key: {}", self.0)
    }
}

impl std::error::Error for KeyError {}

/// A contract address: the 32-byte contract id, shown as a `C...` strkey.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ContractId(pub [u8; 32]);

impl ContractId {
    /// The contract as an `ScAddress` (for ledger keys and call arguments).
    pub fn to_sc_address(&self) -> ScAddress {
        ScAddress::Contract(stellar_xdr::ContractId(Hash(self.0)))
    }

    /// The contract of an `ScAddress`, if it is one.
    pub fn from_sc_address(address: &ScAddress) -> Option<Self> {
        match address {
            ScAddress::Contract(stellar_xdr::ContractId(Hash(id))) => Some(ContractId(*id)),
            _ => None,
        }
    }
}

impl FromStr for ContractId {
    type Err = KeyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        stellar_strkey::Contract::from_string(s)
            .map(|c| ContractId(c.0))
            .map_err(|e| KeyError(format!("{s:?} is not a contract strkey ({e})")))
    }
}

impl fmt::Display for ContractId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&stellar_strkey::Contract(self.0).to_string())
    }
}

impl fmt::Debug for ContractId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ContractId({self})")
    }
}

/// Decodes a `G...` account strkey into an XDR `AccountId`.
///
/// # Errors
///
/// [`KeyError`] if `s` is not a valid ed25519 public key strkey.
pub fn account_id_from_strkey(s: &str) -> Result<AccountId, KeyError> {
    stellar_strkey::ed25519::PublicKey::from_string(s)
        .map(|pk| AccountId(PublicKey::PublicKeyTypeEd25519(Uint256(pk.0))))
        .map_err(|e| KeyError(format!("{s:?} is not an account strkey ({e})")))
}

/// Encodes an XDR `AccountId` as its `G...` strkey.
pub fn account_id_to_strkey(account: &AccountId) -> String {
    let AccountId(PublicKey::PublicKeyTypeEd25519(Uint256(bytes))) = account;
    stellar_strkey::ed25519::PublicKey(*bytes).to_string()
}

/// The keeper's ed25519 key, which both pays for and authorizes its transactions.
///
/// `Debug` shows only the public key, so the secret never reaches a log.
#[derive(Clone)]
pub struct SecretKey(SigningKey);

impl SecretKey {
    /// Decodes an `S...` secret seed strkey.
    ///
    /// # Errors
    ///
    /// [`KeyError`] if `seed` is not a valid ed25519 secret seed strkey. The message never
    /// contains the seed.
    pub fn from_strkey(seed: &str) -> Result<Self, KeyError> {
        stellar_strkey::ed25519::PrivateKey::from_string(seed.trim())
            .map(|sk| SecretKey(SigningKey::from_bytes(&sk.0)))
            .map_err(|e| KeyError(format!("the secret is not an S... seed strkey ({e})")))
    }

    /// A key from raw 32-byte seed material.
    pub fn from_bytes(seed: &[u8; 32]) -> Self {
        SecretKey(SigningKey::from_bytes(seed))
    }

    /// The `S...` strkey of the seed.
    pub fn to_strkey(&self) -> String {
        stellar_strkey::ed25519::PrivateKey(self.0.to_bytes()).to_string()
    }

    /// The raw ed25519 public key.
    pub fn public_key(&self) -> [u8; 32] {
        self.0.verifying_key().to_bytes()
    }

    /// The account this key controls, as an XDR `AccountId`.
    pub fn account_id(&self) -> AccountId {
        AccountId(PublicKey::PublicKeyTypeEd25519(Uint256(self.public_key())))
    }

    /// The account as a transaction source (`MuxedAccount` without a memo id).
    pub fn muxed_account(&self) -> MuxedAccount {
        MuxedAccount::Ed25519(Uint256(self.public_key()))
    }

    /// The `G...` strkey of the account.
    pub fn account_strkey(&self) -> String {
        stellar_strkey::ed25519::PublicKey(self.public_key()).to_string()
    }

    /// Signs a 32-byte transaction hash, returning the signature with its hint (the last four
    /// bytes of the public key) as a transaction envelope carries it.
    pub fn sign_hash(&self, hash: &[u8; 32]) -> DecoratedSignature {
        let public = self.public_key();
        let signature = self.0.sign(hash).to_bytes();
        DecoratedSignature {
            hint: SignatureHint([public[28], public[29], public[30], public[31]]),
            signature: Signature(
                signature
                    .to_vec()
                    .try_into()
                    .expect("an ed25519 signature is 64 bytes, within the XDR bound of 64"),
            ),
        }
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretKey(account {})", self.account_strkey())
    }
}
