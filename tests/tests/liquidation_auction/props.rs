//! Property test (SPEC §12.4–12.6): random price paths and random keeper timing; after every
//! step collateral is conserved, no slice is sold below `price(now)`, no tab is over-collected,
//! and lenders lose only through `settle_bad_debt`.

use super::*;
use proptest::prelude::*;
use protocol_tests::protocol_fixture::USD;

#[derive(Clone, Debug)]
enum Step {
    /// Keepers away for this many seconds (prices stay fresh).
    Wait(u64),
    /// Token 0 moves by this many per mille.
    Move(i128),
    Start,
    /// Take this percentage of the lot.
    Take(i128),
    Reset,
    Settle,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (1u64..1_200).prop_map(Step::Wait),
        (-200i128..60).prop_map(Step::Move),
        Just(Step::Start),
        Just(Step::Start),
        (1i128..=100).prop_map(Step::Take),
        (1i128..=100).prop_map(Step::Take),
        Just(Step::Reset),
        Just(Step::Settle),
    ]
}

/// What the test tracks besides the contracts' state.
struct World {
    f: AuctionFixture<'static>,
    owner: Address,
    keeper: Address,
    live: std::vec::Vec<u64>,
    /// Collateral tokens paid out of lots (start and reset bonuses, slices), and payouts made.
    paid_out: i128,
    payouts: i128,
    lender_assets: i128,
}

const DEPOSIT: i128 = 1_000 * UNIT;

impl World {
    fn new() -> World {
        let mut f = AuctionFixture::new();
        let owner = f.unhealthy_account(75);
        let keeper = f.funded_keeper(100_000 * UNIT);
        let lender_assets = f.p.vaults[1].total_assets();
        World {
            f,
            owner,
            keeper,
            live: std::vec::Vec::new(),
            paid_out: 0,
            payouts: 0,
            lender_assets,
        }
    }

    fn keeper_collateral(&self) -> i128 {
        self.f.p.balance(0, &self.keeper)
    }

    fn run(&mut self, s: &Step) {
        let f = &mut self.f;
        let t = (f.p.tokens[0].clone(), f.p.tokens[1].clone());
        let held = f.p.balance(0, &self.keeper);
        let mut settled = false;
        match *s {
            Step::Wait(dt) => f.p.advance(dt),
            Step::Move(per_mille) => {
                let p = (f.p.prices[0] * (1_000 + per_mille) / 1_000).max(USD / 20);
                f.p.set_price(0, p);
            }
            Step::Start => {
                if let Ok(Ok(aid)) = f
                    .auction
                    .try_start(&self.keeper, &self.owner, &0, &t.0, &t.1)
                {
                    self.live.push(aid);
                    self.payouts += 1;
                }
            }
            Step::Take(pct) => {
                if let Some(&aid) = self.live.first() {
                    let a = f.auction.auction(&aid);
                    let p = native_price(f, aid);
                    let max = (a.lot * pct / 100).max(1);
                    let (price, _) = f.auction.price(&aid);
                    let r =
                        f.auction
                            .try_take(&self.keeper, &aid, &max, &price, &self.keeper, &None);
                    if let Ok(Ok((slice, owe))) = r {
                        self.payouts += 1;
                        assert_eq!(price, abi(p));
                        let floor = units().debt_for(slice as u128, p, Rounding::Floor).unwrap();
                        assert!(owe >= floor as i128, "slice sold below price(now)");
                        assert!(owe <= a.tab, "tab over-collected");
                        match f.auction.try_auction(&aid) {
                            Ok(Ok(b)) => assert_eq!(b.tab, a.tab - owe),
                            _ => {
                                self.live.retain(|&x| x != aid);
                            }
                        }
                    } else {
                        assert!(matches!(r, Err(Ok(_))), "{r:?}");
                    }
                }
            }
            Step::Reset => {
                if let Some(&aid) = self.live.first() {
                    if let Ok(Ok(())) = f.auction.try_reset(&self.keeper, &aid) {
                        self.payouts += 1;
                    }
                }
            }
            Step::Settle => {
                if let Ok(Ok(written)) = f.auction.try_settle_bad_debt(&self.owner, &0) {
                    let debt = f.event_values("bad_debt_settled", "debt");
                    let paid = f.event_values("bad_debt_settled", "insurance_paid");
                    let w = f.event_values("bad_debt_settled", "written_off");
                    assert_eq!(w, [written]);
                    assert_eq!(debt, [paid[0] + written]);
                    settled = true;
                }
            }
        }
        self.paid_out += f.p.balance(0, &self.keeper) - held;
        self.check(settled);
    }

    fn check(&mut self, settled: bool) {
        let f = &self.f;
        let (t0, vault0) = (&f.p.tokens[0], &f.p.vaults[0]);
        // Escrow holds exactly the live lots.
        let lots: i128 = self.live.iter().map(|&a| f.auction.auction(&a).lot).sum();
        assert_eq!(f.p.token(0).balance(&f.auction.address), lots);
        assert_eq!(vault0.balance(&f.auction.address), 0);
        // Collateral conserved (SPEC §12.4), up to the vault's rounding on each payout.
        let held =
            f.p.margin
                .positions(&self.owner, &0)
                .get(t0.clone())
                .unwrap_or(0)
                .max(0);
        let total = held + lots + self.paid_out;
        assert!(
            total <= DEPOSIT && total >= DEPOSIT - 2 * (self.payouts + 1),
            "collateral {total} vs {DEPOSIT}"
        );
        assert_eq!(self.keeper_collateral(), self.paid_out);
        // Lenders lose only through settle_bad_debt.
        let assets = f.p.vaults[1].total_assets();
        if !settled {
            assert!(
                assets >= self.lender_assets - 1,
                "a loss outside settle_bad_debt"
            );
        }
        self.lender_assets = assets;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 36, ..ProptestConfig::default() })]

    #[test]
    fn random_price_paths_and_keeper_timing_keep_the_invariants(
        steps in prop::collection::vec(step(), 4..14)
    ) {
        let mut w = World::new();
        w.run(&Step::Start);
        prop_assert_eq!(w.live.len(), 1, "the account starts liquidatable");
        for s in &steps {
            w.run(s);
        }
    }
}
