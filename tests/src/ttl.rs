//! State archival in the test host: mainnet's TTL settings, ledger time that moves the sequence
//! number too (TTLs count ledgers), and which entries are archived.
//!
//! Since protocol 23 an archived persistent entry in a transaction's footprint is restored
//! automatically before the transaction runs (the rent for it is paid by the transaction), and
//! soroban-sdk 27's test host emulates that: reading an archived entry restores it. Tests
//! therefore look at the TTLs themselves: [`archived`] lists the persistent entries whose TTL ran
//! out (what a `RestoreFootprint`, or the automatic restore, would have to bring back), and an
//! access after that shows the entry restored and extended.

use soroban_sdk::testutils::Ledger as _;
use soroban_sdk::xdr::{ContractDataDurability, LedgerKey, ScAddress, ScVal};
use soroban_sdk::{Address, Env, TryFromVal, Val};

use crate::protocol_fixture::Protocol;

/// Mainnet's state archival settings (ledgers), as the network's config settings report them
/// (Stellar Laboratory's `src/constants/networkLimits.ts`, generated from the mainnet RPC; the
/// developers.stellar.org "Resource limits & fees" page gives the same as 120 days, 1 day and
/// 6 months at 5 s a ledger): the TTL of a new persistent entry...
pub const MAINNET_MIN_PERSISTENT_TTL: u32 = 2_073_600;
/// ...of a new temporary entry...
pub const MAINNET_MIN_TEMP_TTL: u32 = 17_280;
/// ...and the longest TTL an extension may give.
pub const MAINNET_MAX_ENTRY_TTL: u32 = 3_110_400;

/// Seconds per ledger (mainnet's target close time, as `governance::ttl` assumes).
pub const LEDGER_SECONDS: u64 = governance::ttl::LEDGER_SECONDS as u64;
/// One day in seconds.
pub const DAY: u64 = 86_400;

/// Sets mainnet's TTL settings on `env` and gives every persistent entry and code already stored
/// the TTL mainnet would have given it at creation, if it has less (the fixture deploys under
/// the test host's defaults, whose minimum persistent TTL is 4,096 ledgers).
pub fn use_mainnet_ttls(env: &Env) {
    env.ledger().with_mut(|l| {
        l.min_persistent_entry_ttl = MAINNET_MIN_PERSISTENT_TTL;
        l.min_temp_entry_ttl = MAINNET_MIN_TEMP_TTL;
        l.max_entry_ttl = MAINNET_MAX_ENTRY_TTL;
    });
    let creation = MAINNET_MIN_PERSISTENT_TTL - 1;
    // Code entries are extended with the instances that run them.
    for key in persistent_keys(env) {
        let LedgerKey::ContractData(d) = key else {
            continue;
        };
        let contract = Address::try_from_val(env, &ScVal::Address(d.contract.clone()))
            .expect("a contract address");
        if d.key == ScVal::LedgerKeyContractInstance {
            let deployer = env.deployer();
            deployer.extend_ttl_for_contract_instance(contract.clone(), creation, creation);
            if is_wasm_contract(&d.contract, env) {
                deployer.extend_ttl_for_code(contract, creation, creation);
            }
        } else {
            let k = Val::try_from_val(env, &d.key).expect("a storage key");
            env.as_contract(&contract, || {
                env.storage()
                    .persistent()
                    .extend_ttl(&k, creation, creation)
            });
        }
    }
}

/// Whether `contract`'s instance runs uploaded code (not a Stellar asset contract or a native
/// test contract).
fn is_wasm_contract(contract: &ScAddress, env: &Env) -> bool {
    use soroban_sdk::xdr::{ContractExecutable, LedgerEntryData, ScContractInstance};
    env.to_ledger_snapshot()
        .ledger_entries
        .iter()
        .any(|(_, (entry, _))| match &entry.data {
            LedgerEntryData::ContractData(d) if d.contract == *contract => matches!(
                &d.val,
                ScVal::ContractInstance(ScContractInstance {
                    executable: ContractExecutable::Wasm(_),
                    ..
                })
            ),
            _ => false,
        })
}

/// The keys of every persistent contract-data entry and every code entry.
fn persistent_keys(env: &Env) -> std::vec::Vec<LedgerKey> {
    env.to_ledger_snapshot()
        .ledger_entries
        .iter()
        .map(|(k, _)| (**k).clone())
        .filter(is_persistent)
        .collect()
}

fn is_persistent(key: &LedgerKey) -> bool {
    match key {
        LedgerKey::ContractData(d) => d.durability == ContractDataDurability::Persistent,
        LedgerKey::ContractCode(_) => true,
        _ => false,
    }
}

/// The persistent entries (contract data, instances, code) whose TTL has run out: archived.
pub fn archived(env: &Env) -> std::vec::Vec<LedgerKey> {
    let now = env.ledger().sequence();
    env.to_ledger_snapshot()
        .ledger_entries
        .iter()
        .filter(|(k, (_, live_until))| is_persistent(k) && live_until.is_some_and(|l| l < now))
        .map(|(k, _)| (**k).clone())
        .collect()
}

/// The remaining TTL of the persistent entry `key` of `contract` (0 when archived).
pub fn ttl_of(env: &Env, contract: &Address, key: &ScVal) -> u32 {
    let now = env.ledger().sequence();
    env.to_ledger_snapshot()
        .ledger_entries
        .iter()
        .find_map(|(k, (_, live_until))| match &**k {
            LedgerKey::ContractData(d)
                if d.durability == ContractDataDurability::Persistent
                    && d.key == *key
                    && Address::try_from_val(env, &ScVal::Address(d.contract.clone())).ok()
                        == Some(contract.clone()) =>
            {
                *live_until
            }
            _ => None,
        })
        .map_or(0, |l| l.saturating_sub(now))
}

/// Moves ledger time forward by `days` (timestamp and sequence number, one ledger per
/// [`LEDGER_SECONDS`]) without publishing prices.
pub fn pass_days(env: &Env, days: u64) {
    env.ledger().with_mut(|l| {
        l.timestamp += days * DAY;
        l.sequence_number += (days * DAY / LEDGER_SECONDS) as u32;
    });
}

/// As [`pass_days`], then every price re-published fresh and the budget reset.
pub fn pass_days_with_prices(p: &Protocol, days: u64) {
    pass_days(&p.env, days);
    p.refresh();
    p.fresh_budget();
}
