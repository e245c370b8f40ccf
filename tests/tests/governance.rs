//! The governance paths through the deployed price-feed WASM: two-step admin transfer, guardian
//! and delay changes, and timelocked wasm upgrades that keep the contract's state.

use governance::{
    AdminAccepted, DelayChanged, GovernanceInitialized, GuardianChanged, Upgraded, GRACE_PERIOD,
    KIND_UPGRADE, MAX_DELAY, MIN_DELAY,
};
use price_feed::{Error, PriceFeedClient};
use protocol_tests::wasm;
use sep40::{Asset, PriceData};
use soroban_sdk::testutils::{
    Address as _, AuthorizedFunction, AuthorizedInvocation, Events as _, Ledger, MockAuth,
    MockAuthInvoke,
};
use soroban_sdk::{symbol_short, vec, Address, Bytes, BytesN, Env, Event, IntoVal, Symbol, Val};

const START: u64 = 1_700_000_100;
const USD: i128 = 100_000_000_000_000;

struct Feed {
    env: Env,
    id: Address,
    admin: Address,
    guardian: Address,
    asset: Asset,
}

impl Feed {
    /// A deployed feed quoting one asset with one record; every auth mocked.
    fn new() -> Self {
        let env = Env::default();
        env.ledger().with_mut(|l| {
            l.timestamp = START;
            l.sequence_number = 1_000;
        });
        let (admin, guardian) = (Address::generate(&env), Address::generate(&env));
        let base = Asset::Other(symbol_short!("USD"));
        let args = (
            &admin, &guardian, MIN_DELAY, &admin, base, 14u32, 300u32, 4u32,
        );
        let id = env.register(wasm::load("price-feed").as_slice(), args);
        let init = GovernanceInitialized {
            admin: admin.clone(),
            guardian: guardian.clone(),
            delay: MIN_DELAY,
        };
        assert_eq!(
            env.events().all().events().first(),
            Some(&init.to_xdr(&env, &id))
        );
        env.mock_all_auths();
        let asset = Asset::Other(symbol_short!("XLM"));
        let feed = Feed {
            env,
            id,
            admin,
            guardian,
            asset,
        };
        feed.client()
            .add_assets(&vec![&feed.env, feed.asset.clone()]);
        feed.client()
            .set_prices(&vec![&feed.env, (feed.asset.clone(), USD)], &START);
        feed
    }

    fn client(&self) -> PriceFeedClient<'_> {
        PriceFeedClient::new(&self.env, &self.id)
    }

    fn advance(&self, seconds: u64) {
        self.env.ledger().with_mut(|l| {
            l.timestamp += seconds;
            l.sequence_number += (seconds / 5) as u32;
        });
    }

    fn assert_auth(&self, signer: &Address, fn_name: &str, args: soroban_sdk::Vec<Val>) {
        let invocation = AuthorizedInvocation {
            function: AuthorizedFunction::Contract((
                self.id.clone(),
                Symbol::new(&self.env, fn_name),
                args,
            )),
            sub_invocations: std::vec![],
        };
        assert_eq!(self.env.auths(), std::vec![(signer.clone(), invocation)]);
    }

    fn sign_as(&self, signer: &Address, fn_name: &str, args: soroban_sdk::Vec<Val>) {
        self.env.mock_auths(&[MockAuth {
            address: signer,
            invoke: &MockAuthInvoke {
                contract: &self.id,
                fn_name,
                args,
                sub_invokes: &[],
            },
        }]);
    }

    fn last_event(&self) -> Option<soroban_sdk::xdr::ContractEvent> {
        self.env.events().all().events().last().cloned()
    }

    fn first_record(&self) -> PriceData {
        PriceData {
            price: USD,
            timestamp: START - START % 300,
        }
    }
}

/// The optimised price-feed wasm with a custom section appended: the same code under another
/// hash, as a rebuilt release would be.
fn price_feed_v2(env: &Env) -> BytesN<32> {
    let mut bytes = wasm::load("price-feed");
    let name = b"upgrade-test";
    bytes.extend_from_slice(&[0, (1 + name.len() + 2) as u8, name.len() as u8]);
    bytes.extend_from_slice(name);
    bytes.extend_from_slice(b"v2");
    env.deployer()
        .upload_contract_wasm(Bytes::from_slice(env, &bytes))
}

#[test]
fn admin_transfer_takes_two_steps_through_the_feed() {
    let f = Feed::new();
    let c = f.client();
    let new_admin = Address::generate(&f.env);
    c.propose_admin(&new_admin);
    f.assert_auth(&f.admin, "propose_admin", (&new_admin,).into_val(&f.env));
    assert_eq!(
        c.try_accept_admin(),
        Err(Ok(governance::GovernanceError::TooEarly))
    );

    f.advance(MIN_DELAY);
    f.sign_as(&f.guardian, "accept_admin", ().into_val(&f.env));
    assert!(c.try_accept_admin().is_err());
    f.env.mock_all_auths();
    c.accept_admin();
    f.assert_auth(&new_admin, "accept_admin", ().into_val(&f.env));
    let accepted = AdminAccepted {
        old_admin: f.admin.clone(),
        new_admin: new_admin.clone(),
    };
    assert_eq!(f.last_event(), Some(accepted.to_xdr(&f.env, &f.id)));
    assert_eq!(c.admin(), new_admin);

    // Admin powers moved with the role.
    let eth = vec![&f.env, Asset::Other(symbol_short!("ETH"))];
    f.sign_as(&f.admin, "add_assets", (eth.clone(),).into_val(&f.env));
    assert!(c.try_add_assets(&eth).is_err());
    f.env.mock_all_auths();
    c.add_assets(&eth);
    f.assert_auth(&new_admin, "add_assets", (eth,).into_val(&f.env));
}

#[test]
fn guardian_change_moves_the_pause_power() {
    let f = Feed::new();
    let c = f.client();
    let new_guardian = Address::generate(&f.env);
    c.queue_guardian(&new_guardian);
    f.advance(MIN_DELAY);
    c.apply_guardian();
    let changed = GuardianChanged {
        old_guardian: f.guardian.clone(),
        new_guardian: new_guardian.clone(),
    };
    assert_eq!(f.last_event(), Some(changed.to_xdr(&f.env, &f.id)));

    f.sign_as(&f.guardian, "pause", ().into_val(&f.env));
    assert!(c.try_pause().is_err());
    f.env.mock_all_auths();
    c.pause();
    f.assert_auth(&new_guardian, "pause", ().into_val(&f.env));
}

#[test]
fn delay_changes_keep_the_floor_and_take_the_current_delay() {
    let f = Feed::new();
    let c = f.client();
    let short = c.try_queue_delay(&(MIN_DELAY - 1));
    assert_eq!(short, Err(Ok(governance::GovernanceError::DelayTooShort)));
    let long = c.try_queue_delay(&(MAX_DELAY + 1));
    assert_eq!(long, Err(Ok(governance::GovernanceError::DelayTooLong)));

    c.queue_delay(&(3 * MIN_DELAY));
    f.advance(MIN_DELAY);
    c.apply_delay();
    let changed = DelayChanged {
        old_delay: MIN_DELAY,
        new_delay: 3 * MIN_DELAY,
    };
    assert_eq!(f.last_event(), Some(changed.to_xdr(&f.env, &f.id)));
    assert_eq!(c.timelock_delay(), 3 * MIN_DELAY);
    let eta = c.queue_reporter(&Address::generate(&f.env));
    f.advance(MIN_DELAY);
    assert_eq!(c.try_apply_reporter(), Err(Ok(Error::TooEarly)));
    assert_eq!(eta, START + MIN_DELAY + 3 * MIN_DELAY);
}

#[test]
fn upgrade_to_a_new_build_keeps_the_state() {
    let f = Feed::new();
    let c = f.client();
    let v2 = price_feed_v2(&f.env);
    let eta = c.queue_upgrade(&v2);
    f.assert_auth(&f.admin, "queue_upgrade", (&v2,).into_val(&f.env));
    let unit: Val = ().into_val(&f.env);
    assert_eq!(c.change_eta(&KIND_UPGRADE, &unit), Some(eta));
    assert_eq!(
        c.try_apply_upgrade(),
        Err(Ok(governance::GovernanceError::TooEarly))
    );

    f.advance(MIN_DELAY);
    c.apply_upgrade();
    assert_eq!(f.env.auths(), std::vec![]);
    let upgraded = Upgraded { wasm_hash: v2 };
    assert_eq!(f.last_event(), Some(upgraded.to_xdr(&f.env, &f.id)));
    assert_eq!(c.change_eta(&KIND_UPGRADE, &unit), None);

    // Roles, configuration and history survived, and the new code keeps working.
    assert_eq!(
        (c.admin(), c.guardian()),
        (f.admin.clone(), f.guardian.clone())
    );
    assert_eq!(c.history_length(), 4);
    assert_eq!(c.lastprice(&f.asset), Some(f.first_record()));
    let now = f.env.ledger().timestamp();
    c.set_prices(&vec![&f.env, (f.asset.clone(), 2 * USD)], &now);
    assert_eq!(c.prices(&f.asset, &5).map(|p| p.len()), Some(2));
}

#[test]
fn upgrade_to_another_contract_replaces_the_code_but_not_the_storage() {
    let f = Feed::new();
    let c = f.client();
    let probe = f
        .env
        .deployer()
        .upload_contract_wasm(Bytes::from_slice(&f.env, &wasm::load("health-probe")));
    c.queue_upgrade(&probe);
    f.advance(MIN_DELAY);
    c.apply_upgrade();

    assert!(c.try_lastprice(&f.asset).is_err());
    let admin = f.env.as_contract(&f.id, || governance::admin(&f.env));
    assert_eq!(admin, f.admin);
}

#[test]
fn upgrades_can_be_refused_cancelled_or_left_to_expire() {
    let f = Feed::new();
    let c = f.client();
    let v2 = price_feed_v2(&f.env);
    let stranger = Address::generate(&f.env);
    f.sign_as(&stranger, "queue_upgrade", (&v2,).into_val(&f.env));
    assert!(c.try_queue_upgrade(&v2).is_err());
    f.env.mock_all_auths();

    c.queue_upgrade(&v2);
    c.cancel_upgrade();
    f.assert_auth(&f.admin, "cancel_upgrade", ().into_val(&f.env));
    f.advance(MIN_DELAY);
    let not_queued = Err(Ok(governance::GovernanceError::NotQueued));
    assert_eq!(c.try_apply_upgrade(), not_queued);

    c.queue_upgrade(&v2);
    f.advance(MIN_DELAY + GRACE_PERIOD + 1);
    let expired = Err(Ok(governance::GovernanceError::Expired));
    assert_eq!(c.try_apply_upgrade(), expired);
    assert_eq!(c.lastprice(&f.asset), Some(f.first_record()));
}

#[test]
fn upgrade_to_a_wasm_never_uploaded_fails_and_stays_queued() {
    let f = Feed::new();
    let c = f.client();
    let missing = BytesN::from_array(&f.env, &[9; 32]);
    let eta = c.queue_upgrade(&missing);
    f.advance(MIN_DELAY);
    assert!(c.try_apply_upgrade().is_err());
    let unit: Val = ().into_val(&f.env);
    assert_eq!(c.change_eta(&KIND_UPGRADE, &unit), Some(eta));
    assert_eq!(c.lastprice(&f.asset), Some(f.first_record()));
}
