//! margin-account governance on the WASM fixture: config validation, the timelock, modes, caps,
//! haircut ramps, the vault cache, and the liquidator seam.

use margin_account::{AssetConfig, AssetMode, Error, Params};
use protocol_tests::fixture::DELAY;
use protocol_tests::protocol_fixture::{default_config, Protocol, ABI_USD, RATIO_ONE, UNIT, USD};
use soroban_sdk::testutils::Address as _;
use soroban_sdk::Address;

/// An edit of a config and the error it must be refused with.
type Case = (fn(&mut AssetConfig), Error);

fn config(p: &Protocol, i: usize) -> AssetConfig {
    default_config(&p.vaults[i].address)
}

#[test]
fn invalid_configs_are_refused_with_typed_errors() {
    let p = Protocol::two_assets();
    let t = p.tokens[0].clone();
    let base = config(&p, 0);
    let cases: [Case; 9] = [
        (
            |c| c.asset_weight_init = RATIO_ONE * 95 / 100,
            Error::WeightOrder,
        ),
        (
            |c| c.liab_weight_maint = RATIO_ONE * 13 / 10,
            Error::WeightOrder,
        ),
        (
            |c| c.asset_weight_maint = RATIO_ONE + 1,
            Error::InvalidWeight,
        ),
        (
            |c| c.liab_weight_maint = RATIO_ONE - 1,
            Error::InvalidWeight,
        ),
        (|c| c.asset_weight_init = -1, Error::NegativeAmount),
        // 0.9 * (1 + 0.12) = 1.008 >= 1.
        (
            |c| c.liquidation_penalty = RATIO_ONE * 12 / 100,
            Error::InvalidPenalty,
        ),
        (|c| c.max_trade_slippage = 0, Error::InvalidSlippage),
        (|c| c.min_debt_value = -1, Error::InvalidLimit),
        (|c| c.borrow_cap = -1, Error::InvalidLimit),
    ];
    for (edit, error) in cases {
        let mut c = base.clone();
        edit(&mut c);
        assert_eq!(p.margin.try_queue_asset(&t, &c), Err(Ok(error)));
    }
    // A vault of another asset, and a changed vault for a listed asset.
    let other = p
        .env
        .register_stellar_asset_contract_v2(p.admin.clone())
        .address();
    p.margin.queue_asset(&other, &config(&p, 0));
    p.margin.queue_asset(&t, &config(&p, 1));
    p.advance(DELAY);
    assert_eq!(
        p.margin.try_apply_asset(&other),
        Err(Ok(Error::VaultMismatch))
    );
    assert_eq!(p.margin.try_apply_asset(&t), Err(Ok(Error::VaultChange)));
}

#[test]
fn config_changes_wait_for_the_timelock() {
    let p = Protocol::two_assets();
    let t = p.tokens[0].clone();
    let mut c = config(&p, 0);
    c.deposit_cap = 500 * UNIT;
    p.margin.queue_asset(&t, &c);
    assert_eq!(p.margin.try_apply_asset(&t), Err(Ok(Error::TooEarly)));
    assert_eq!(
        p.margin.try_queue_asset(&t, &c),
        Err(Ok(Error::AlreadyQueued))
    );
    p.margin.cancel_asset(&t);
    assert_eq!(p.margin.try_apply_asset(&t), Err(Ok(Error::NotQueued)));
    p.reconfigure(0, &c);
    assert_eq!(p.margin.asset_config(&t), c);
}

#[test]
fn caps_bound_the_protocols_collateral_and_debt() {
    let p = Protocol::two_assets();
    let mut c0 = config(&p, 0);
    c0.deposit_cap = 500 * UNIT;
    p.reconfigure(0, &c0);
    let mut c1 = config(&p, 1);
    c1.borrow_cap = 100 * UNIT;
    p.reconfigure(1, &c1);
    let owner = p.account_with(0, 400 * UNIT, 1);
    p.mint(0, &owner, 200 * UNIT);
    let before = p.books(&[&owner], &[(&owner, 1)]);
    let r = p
        .margin
        .try_deposit(&owner, &1, &p.tokens[0], &(101 * UNIT));
    assert_eq!(r, Err(Ok(Error::DepositCapExceeded)));
    assert_eq!(p.books(&[&owner], &[(&owner, 1)]), before);
    p.margin.deposit(&owner, &1, &p.tokens[0], &(100 * UNIT));
    let r = p
        .margin
        .try_borrow(&owner, &1, &p.tokens[1], &(101 * UNIT), &owner);
    assert_eq!(r, Err(Ok(Error::BorrowCapExceeded)));
    p.margin
        .borrow(&owner, &1, &p.tokens[1], &(100 * UNIT), &owner);
}

#[test]
fn the_guardian_only_tightens_modes_and_nothing_blocks_repay() {
    let p = Protocol::two_assets();
    let owner = p.account_with(0, 1_000 * UNIT, 1);
    p.margin
        .borrow(&owner, &1, &p.tokens[1], &(100 * UNIT), &owner);
    p.margin.set_mode(&p.tokens[1], &AssetMode::ReduceOnly);
    assert_eq!(
        p.margin.try_set_mode(&p.tokens[1], &AssetMode::Active),
        Err(Ok(Error::ModeNotTighter))
    );
    assert_eq!(
        p.margin.asset_config(&p.tokens[1]).mode,
        AssetMode::ReduceOnly
    );
    // No new debt, no new collateral in a ReduceOnly asset.
    let r = p
        .margin
        .try_borrow(&owner, &1, &p.tokens[1], &(10 * UNIT), &owner);
    assert_eq!(r, Err(Ok(Error::AssetNotActive)));
    p.margin.set_mode(&p.tokens[0], &AssetMode::Frozen);
    p.mint(0, &owner, UNIT);
    let r = p.margin.try_deposit(&owner, &1, &p.tokens[0], &UNIT);
    assert_eq!(r, Err(Ok(Error::AssetNotActive)));
    // Repay and a healthy withdrawal of surplus still go through.
    p.margin
        .repay(&owner, &owner, &1, &p.tokens[1], &(50 * UNIT));
    p.margin
        .withdraw(&owner, &1, &p.tokens[0], &(100 * UNIT), &owner);
    // The admin loosens through the timelock.
    p.reconfigure(1, &config(&p, 1));
    p.margin
        .borrow(&owner, &1, &p.tokens[1], &(10 * UNIT), &owner);
}

/// Governance lowers `asset_weight_maint` from 0.9 to 0.6 with a 7-day ramp. The account (1,000
/// USD of collateral, 600 USD of debt) is healthy at the change and becomes liquidatable only as
/// the ramp proceeds: `w(t) = 0.9 - 0.3 * t / 7 days`, `maint(t) = 1,000 * w(t) / (600 * 1.1)`,
/// below 1 once `w(t) < 0.66`, i.e. after `t = 0.8 * 7 days` (a keeper syncs the vault caches
/// before each look; the debt grows by the vault's ~2 % a year meanwhile).
#[test]
fn a_lowered_haircut_ramps_and_liquidates_only_as_it_proceeds() {
    let p = Protocol::two_assets();
    let owner = p.account_with(0, 1_000 * UNIT, 1);
    // 300 tokens at 2 USD = 600 USD of debt: liabs_maint = 660, liabs_init = 720 <= 800.
    p.margin
        .borrow(&owner, &1, &p.tokens[1], &(300 * UNIT), &owner);
    let mut c = config(&p, 0);
    c.asset_weight_init = RATIO_ONE * 6 / 10;
    c.asset_weight_maint = RATIO_ONE * 6 / 10;
    c.liquidation_penalty = RATIO_ONE / 20;
    p.margin.queue_asset(&p.tokens[0], &c);
    p.advance(DELAY);
    p.margin.apply_asset(&p.tokens[0]);
    let start = p.now();
    let week = 7 * 86_400u64;
    let checks = [
        (0, false),
        (week / 2, false),
        (week * 79 / 100, false),
        (week * 81 / 100, true),
        (week, true),
    ];
    for (t, liquidatable) in checks {
        p.advance(start + t - p.now());
        p.margin.sync(&p.token_vec(&[0, 1]));
        let w = 9_000_000 - 3_000_000 * t as i128 / week as i128; // 7 decimals
        let (awm, lwm) = p.margin.maint_weights(&p.tokens[0]);
        assert!((awm - w).abs() <= 1, "weight at {t}: {awm} vs {w}");
        assert!((lwm - RATIO_ONE * 11 / 10).abs() <= 1);
        let h = p.margin.health(&owner, &1);
        // maint = 1,000 USD * w / (600 USD * 1.1), debt grown by at most the accrued interest.
        let expected = 1_000 * ABI_USD * w / (660 * ABI_USD);
        assert!(
            h.maint <= expected + 1 && h.maint >= expected * 99 / 100,
            "{t}: {} vs {expected}",
            h.maint
        );
        assert_eq!(h.maint < ABI_USD, liquidatable, "at {t}: maint {}", h.maint);
    }
    // Init changed at once: the account can no longer borrow.
    let r = p.margin.try_borrow(&owner, &1, &p.tokens[1], &UNIT, &owner);
    assert_eq!(r, Err(Ok(Error::InitHealthTooLow)));
    let _ = USD;
}

#[test]
fn a_second_change_ramps_from_the_current_ramped_value() {
    let p = Protocol::two_assets();
    let mut c = config(&p, 0);
    c.asset_weight_init = RATIO_ONE / 2;
    c.asset_weight_maint = RATIO_ONE * 5 / 10;
    p.reconfigure(0, &c);
    let start = p.now();
    p.advance(7 * 86_400 / 2);
    // Half-way: 0.9 - 0.4 / 2 = 0.7. A new target of 0.6 ramps from 0.7 (queued now, applied a
    // delay later, when the first ramp is at 0.9 - 0.4 * (3.5 + 1) / 7).
    c.asset_weight_maint = RATIO_ONE * 6 / 10;
    p.margin.queue_asset(&p.tokens[0], &c);
    p.advance(DELAY);
    let at_apply = p.margin.maint_weights(&p.tokens[0]).0;
    let elapsed = (p.now() - start) as i128;
    let expected = 9_000_000 - 4_000_000 * elapsed / (7 * 86_400);
    assert!((at_apply - expected).abs() <= 1);
    p.margin.apply_asset(&p.tokens[0]);
    assert!((p.margin.maint_weights(&p.tokens[0]).0 - at_apply).abs() <= 1);
    p.advance(7 * 86_400);
    assert!((p.margin.maint_weights(&p.tokens[0]).0 - 6_000_000).abs() <= 1);
    // A loosened weight applies at once.
    c.asset_weight_maint = RATIO_ONE * 8 / 10;
    p.reconfigure(0, &c);
    assert!((p.margin.maint_weights(&p.tokens[0]).0 - 8_000_000).abs() <= 1);
}

#[test]
fn params_and_venues_go_through_the_timelock() {
    let p = Protocol::two_assets();
    let bad = Params {
        max_positions: 0,
        ramp_duration: 86_400,
        sync_interval: 0,
    };
    assert_eq!(
        p.margin.try_queue_params(&bad),
        Err(Ok(Error::InvalidParams))
    );
    let good = Params {
        max_positions: 1,
        ..bad
    };
    p.margin.queue_params(&good);
    let venue = Address::generate(&p.env);
    p.margin.queue_venue(&venue, &true);
    p.advance(DELAY);
    p.margin.apply_params();
    p.margin.apply_venue(&venue);
    assert_eq!(p.margin.params(), good);
    assert!(p.margin.venue_listed(&venue));
    // One position per account now: a second asset is refused, the first can still change.
    let owner = p.account_with(0, 1_000 * UNIT, 1);
    let r = p
        .margin
        .try_borrow(&owner, &1, &p.tokens[1], &(20 * UNIT), &owner);
    assert_eq!(r, Err(Ok(Error::TooManyPositions)));
    p.margin.withdraw(&owner, &1, &p.tokens[0], &UNIT, &owner);
}

#[test]
fn sync_refreshes_the_vault_cache_and_the_debt_bound_covers_interest() {
    let p = Protocol::two_assets();
    let owner = p.account_with(0, 1_000 * UNIT, 1);
    p.margin
        .borrow(&owner, &1, &p.tokens[1], &(300 * UNIT), &owner);
    let cached = p.margin.vault_cache(&p.tokens[1]);
    p.advance(10 * 86_400);
    // The health check's debt is at least the vault's real debt.
    let real = -p
        .margin
        .positions(&owner, &1)
        .get(p.tokens[1].clone())
        .unwrap();
    let h = p.margin.health(&owner, &1);
    assert!(
        h.liabs_maint >= real * 2 * 11 / 10,
        "{} < {}",
        h.liabs_maint,
        real * 2 * 11 / 10
    );
    p.margin.sync(&p.token_vec(&[0, 1]));
    let synced = p.margin.vault_cache(&p.tokens[1]);
    assert!(synced.debt_index > cached.debt_index);
    assert_eq!(synced.synced_at, p.now());
    let h2 = p.margin.health(&owner, &1);
    assert!(h2.liabs_maint <= h.liabs_maint);
    assert_eq!(
        synced.total_debt_shares,
        p.vaults[1].pool_state().debt_shares
    );
}

#[test]
fn the_liquidator_seam_seizes_and_settles() {
    let p = Protocol::two_assets();
    let owner = p.account_with(0, 1_000 * UNIT, 1);
    p.margin
        .borrow(&owner, &1, &p.tokens[1], &(100 * UNIT), &owner);
    let (t0, t1) = (p.tokens[0].clone(), p.tokens[1].clone());
    let r = p.margin.try_seize(&owner, &1, &t0, &UNIT);
    assert_eq!(r, Err(Ok(Error::NotLiquidator)));
    let liquidator = Address::generate(&p.env);
    p.margin.set_liquidator(&liquidator);
    assert_eq!(
        p.margin.try_set_liquidator(&owner),
        Err(Ok(Error::LiquidatorAlreadySet))
    );
    let r = p.margin.try_seize(&owner, &1, &t0, &(1_001 * UNIT));
    assert_eq!(r, Err(Ok(Error::InsufficientCollateral)));
    // Seized shares are redeemed: the liquidator holds tokens, not shares.
    let tokens = p.margin.seize(&owner, &1, &t0, &(300 * UNIT));
    assert_eq!(tokens, 300 * UNIT);
    assert_eq!(p.token(0).balance(&liquidator), 300 * UNIT);
    assert_eq!(p.vaults[0].balance(&liquidator), 0);
    assert_eq!(
        p.margin.position_shares(&owner, &1).get(t0.clone()),
        Some(700 * UNIT)
    );
    // Nothing to do, negative amounts, a repayment without debt: refused.
    assert_eq!(
        p.margin.try_settle(&owner, &1, &t1, &0, &t0, &0),
        Err(Ok(Error::ZeroAmount))
    );
    assert_eq!(
        p.margin.try_settle(&owner, &1, &t1, &-1, &t0, &UNIT),
        Err(Ok(Error::NegativeAmount))
    );
    assert_eq!(
        p.margin.try_settle(&owner, &1, &t0, &UNIT, &t0, &0),
        Err(Ok(Error::NoDebt))
    );
    // One call repays 40 and gives 100 of the lot back.
    p.mint(1, &liquidator, 40 * UNIT);
    let repaid = p
        .margin
        .settle(&owner, &1, &t1, &(40 * UNIT), &t0, &(100 * UNIT));
    assert_eq!(repaid, 40 * UNIT);
    assert_eq!(
        p.margin.positions(&owner, &1).get(t1.clone()),
        Some(-60 * UNIT)
    );
    assert_eq!(p.token(0).balance(&liquidator), 200 * UNIT);
    assert_eq!(p.token(1).balance(&liquidator), 0);
    assert_eq!(
        p.margin.position_shares(&owner, &1).get(t0),
        Some(800 * UNIT)
    );
    assert_eq!(
        p.margin.vault_cache(&p.tokens[0]).total_shares,
        p.vaults[0].balance(&p.margin.address)
    );
}
