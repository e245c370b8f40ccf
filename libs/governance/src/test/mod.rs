//! Unit tests on a tiny native contract that exports `Governed` and one typed timelocked
//! parameter, as every protocol contract will.

mod roles;
mod timelock;

extern crate std;

use soroban_sdk::testutils::{Address as _, AuthorizedFunction, AuthorizedInvocation, Ledger};
use soroban_sdk::{
    contract, contractimpl, symbol_short, Address, Env, IntoVal, Symbol, Val, Vec as SorobanVec,
};

use crate::{self as governance, timelock as tl, GovernanceError, Governed, MIN_DELAY};

/// Timelock kind of the test contract's parameter.
const KIND_PARAM: Symbol = symbol_short!("param");

#[contract]
pub struct TestContract;

#[contractimpl]
impl TestContract {
    pub fn __constructor(
        env: &Env,
        admin: Address,
        guardian: Address,
        delay: u64,
    ) -> Result<(), GovernanceError> {
        governance::init(env, &admin, &guardian, delay)
    }

    pub fn queue_param(env: &Env, subject: Address, value: u32) -> Result<u64, GovernanceError> {
        tl::queue(env, KIND_PARAM, &subject, &value)
    }

    pub fn apply_param(env: &Env, subject: Address) -> Result<u32, GovernanceError> {
        let value: u32 = tl::apply(env, KIND_PARAM, &subject)?;
        env.storage().instance().set(&subject, &value);
        Ok(value)
    }

    pub fn cancel_param(env: &Env, subject: Address) -> Result<(), GovernanceError> {
        tl::cancel(env, KIND_PARAM, &subject)
    }

    pub fn param(env: &Env, subject: Address) -> Option<u32> {
        env.storage().instance().get(&subject)
    }

    /// Reads the param queued under `subject` as the wrong type.
    pub fn apply_param_as_address(env: &Env, subject: Address) -> Result<Address, GovernanceError> {
        tl::apply(env, KIND_PARAM, &subject)
    }

    pub fn guardian_action(env: &Env) -> Address {
        governance::require_guardian(env)
    }
}

#[contractimpl(contracttrait)]
impl Governed for TestContract {}

/// A deployed test contract with its roles; every auth is mocked, `env.auths()` tells who signed.
pub struct Fixture {
    pub env: Env,
    pub id: Address,
    pub admin: Address,
    pub guardian: Address,
}

impl Fixture {
    pub fn new() -> Self {
        let env = Env::default();
        env.ledger().with_mut(|l| {
            l.timestamp = 1_700_000_000;
            l.sequence_number = 100;
        });
        let admin = Address::generate(&env);
        let guardian = Address::generate(&env);
        let id = env.register(TestContract, (&admin, &guardian, MIN_DELAY));
        env.mock_all_auths();
        Fixture {
            env,
            id,
            admin,
            guardian,
        }
    }

    pub fn client(&self) -> TestContractClient<'_> {
        TestContractClient::new(&self.env, &self.id)
    }

    pub fn now(&self) -> u64 {
        self.env.ledger().timestamp()
    }

    /// Moves time forward by `seconds`, and the ledger sequence with it (5 s per ledger), so
    /// TTLs run out as they would on the network.
    pub fn advance(&self, seconds: u64) {
        self.env.ledger().with_mut(|l| {
            l.timestamp += seconds;
            l.sequence_number += (seconds / 5) as u32;
        });
    }

    /// Asserts that the last call was authorised by exactly `signer`, for `fn_name(args)` on the
    /// test contract.
    pub fn assert_auth(&self, signer: &Address, fn_name: &str, args: SorobanVec<Val>) {
        assert_eq!(
            self.env.auths(),
            std::vec![(
                signer.clone(),
                AuthorizedInvocation {
                    function: AuthorizedFunction::Contract((
                        self.id.clone(),
                        Symbol::new(&self.env, fn_name),
                        args,
                    )),
                    sub_invocations: std::vec![],
                }
            )]
        );
    }

    pub fn no_args(&self) -> SorobanVec<Val> {
        ().into_val(&self.env)
    }
}
