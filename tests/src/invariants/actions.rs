//! The actions of the model, their decoding from bytes, and what a step reports to the checker.

use margin_account::{AssetMode, Request, TradeRequest};
use soroban_sdk::{vec, Address};

use super::world::{World, ACCOUNTS, KEEPERS, LENDERS, TOKENS, TRADERS};
use crate::fixture::DELAY;
use crate::protocol_fixture::{default_config, Books, RATIO_ONE, UNIT, USD};

/// One step by one actor. Indices are taken modulo the number of actors, tokens, pools,
/// accounts and live auctions, so every decoded value names something that exists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Lender `l` deposits `amount` base units of token `t` into its vault.
    LenderDeposit {
        l: usize,
        t: usize,
        amount: i128,
    },
    /// Lender `l` redeems `pct` % of its shares of vault `t`.
    LenderRedeem {
        l: usize,
        t: usize,
        pct: i128,
    },
    Deposit {
        who: usize,
        id: u32,
        t: usize,
        amount: i128,
    },
    Withdraw {
        who: usize,
        id: u32,
        t: usize,
        amount: i128,
    },
    Borrow {
        who: usize,
        id: u32,
        t: usize,
        amount: i128,
    },
    Repay {
        who: usize,
        id: u32,
        t: usize,
        amount: i128,
    },
    /// Sells `amount` through pool `pool` (`forward`: its first token for its second).
    Trade {
        who: usize,
        id: u32,
        pool: usize,
        forward: bool,
        amount: i128,
    },
    /// `submit`: a trade then a withdrawal of a tenth of the amount of what was bought.
    SubmitLever {
        who: usize,
        id: u32,
        pool: usize,
        forward: bool,
        amount: i128,
    },
    /// Keeper `k` starts an auction on `(trader, id)`. `pick < 32`: the pair `(pick % 3,
    /// pick / 3 % 3)` whatever the account holds; otherwise the `pick`-th collateral and debt
    /// positions the account has (as a keeper would choose).
    Start {
        k: usize,
        who: usize,
        id: u32,
        pick: u8,
    },
    /// Keeper `k` takes `pct` % of the lot of live auction `a`.
    Take {
        k: usize,
        a: usize,
        pct: i128,
    },
    Reset {
        k: usize,
        a: usize,
    },
    Settle {
        who: usize,
        id: u32,
    },
    FundInsurance {
        k: usize,
        t: usize,
        amount: i128,
    },
    /// Token `t`'s price moves by `permille` ‰ (published one resolution later).
    Price {
        t: usize,
        permille: i128,
    },
    /// Time passes with the feeds publishing.
    Advance(u64),
    /// Time passes without any feed publishing: prices may be stale.
    AdvanceStale(u64),
    /// Governance re-weights token `t` (preset `preset`) through the timelock (24 h pass).
    Reweight {
        t: usize,
        preset: usize,
    },
    /// The guardian tightens token `t` to `ReduceOnly` (`frozen`: `Frozen`).
    GuardianMode {
        t: usize,
        frozen: bool,
    },
    /// The guardian raises the auction's `stopped` level; the admin sets it back to 0.
    GuardianStop(u32),
    AdminUnstop,
    /// The attacker sends `amount` of token `t` straight to its vault.
    Donate {
        t: usize,
        amount: i128,
    },
    /// The attacker swaps `amount` through pool `pool` directly (moving its price).
    PoolSwap {
        pool: usize,
        forward: bool,
        amount: i128,
    },
    /// The attacker calls `withdraw` on someone else's account naming itself as the receiver,
    /// with only its own auth.
    StealWithdraw {
        victim: usize,
        t: usize,
        amount: i128,
    },
}

/// Weight presets `(init, maint)` in percent for [`Action::Reweight`] (all valid with a 5 % penalty).
const PRESETS: [(i128, i128); 4] = [(80, 90), (70, 85), (60, 75), (85, 92)];

/// Reads bytes as numbers; past the end it reads zeros.
pub struct ByteSource<'b> {
    bytes: &'b [u8],
    at: usize,
}

impl<'b> ByteSource<'b> {
    pub fn new(bytes: &'b [u8]) -> Self {
        ByteSource { bytes, at: 0 }
    }

    pub fn is_empty(&self) -> bool {
        self.at >= self.bytes.len()
    }

    pub fn u8(&mut self) -> u8 {
        let b = self.bytes.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        b
    }

    pub fn u16(&mut self) -> u16 {
        u16::from(self.u8()) << 8 | u16::from(self.u8())
    }

    fn below(&mut self, n: usize) -> usize {
        usize::from(self.u8()) % n
    }

    fn flag(&mut self) -> bool {
        self.u8() & 1 == 1
    }

    /// An amount in base units: mostly 1 to 400 whole tokens, sometimes up to 3,000, a few base
    /// units (dust) or far more than anyone holds.
    fn amount(&mut self) -> i128 {
        let kind = self.u8() % 8;
        let n = i128::from(self.u16());
        match kind {
            0 => n % 1_000 + 1,
            6 => (n % 3_000 + 1) * UNIT,
            7 => (n + 1) * 1_000 * UNIT,
            _ => (n % 400 + 1) * UNIT,
        }
    }

    fn pct(&mut self) -> i128 {
        i128::from(self.u8() % 100) + 1
    }

    /// Mostly account 0 (where the collateral is), sometimes the others.
    fn id(&mut self) -> u32 {
        match self.u8() % 4 {
            3 => u32::from(self.u8()) % ACCOUNTS,
            _ => 0,
        }
    }
}

/// A deterministic generator (splitmix64) for byte streams.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// `n` random bytes.
    pub fn bytes(&mut self, n: usize) -> std::vec::Vec<u8> {
        (0..n).map(|_| self.next_u64() as u8).collect()
    }
}

impl Action {
    /// Bytes a step needs at most.
    pub const MAX_BYTES: usize = 12;

    /// The next action, or `None` once `src` is exhausted.
    pub fn decode(src: &mut ByteSource) -> Option<Action> {
        if src.is_empty() {
            return None;
        }
        let op = src.u8() % 36;
        let a = match op {
            0 => Action::LenderDeposit {
                l: src.below(LENDERS),
                t: src.below(TOKENS),
                amount: src.amount(),
            },
            1 => Action::LenderRedeem {
                l: src.below(LENDERS),
                t: src.below(TOKENS),
                pct: src.pct(),
            },
            2..=4 => Action::Deposit {
                who: src.below(TRADERS),
                id: src.id(),
                t: src.below(TOKENS),
                amount: src.amount(),
            },
            5 | 6 => Action::Withdraw {
                who: src.below(TRADERS),
                id: src.id(),
                t: src.below(TOKENS),
                amount: src.amount(),
            },
            7..=9 => Action::Borrow {
                who: src.below(TRADERS),
                id: src.id(),
                t: src.below(TOKENS),
                amount: src.amount(),
            },
            10 => Action::Repay {
                who: src.below(TRADERS),
                id: src.id(),
                t: src.below(TOKENS),
                amount: src.amount(),
            },
            11 | 12 => Action::Trade {
                who: src.below(TRADERS),
                id: src.id(),
                pool: src.below(2),
                forward: src.flag(),
                amount: src.amount(),
            },
            13 => Action::SubmitLever {
                who: src.below(TRADERS),
                id: src.id(),
                pool: src.below(2),
                forward: src.flag(),
                amount: src.amount(),
            },
            14 | 15 | 34 | 35 => Action::Start {
                k: src.below(KEEPERS),
                who: src.below(TRADERS),
                id: src.id(),
                pick: src.u8(),
            },
            16 | 17 => Action::Take {
                k: src.below(KEEPERS),
                a: src.below(4),
                pct: src.pct(),
            },
            18 => Action::Reset {
                k: src.below(KEEPERS),
                a: src.below(4),
            },
            19 => Action::Settle {
                who: src.below(TRADERS),
                id: src.id(),
            },
            20 => Action::FundInsurance {
                k: src.below(KEEPERS),
                t: src.below(TOKENS),
                amount: src.amount(),
            },
            21..=25 | 33 => {
                // Token 0 (everyone's collateral) moves twice as often as the others.
                let t = src.below(TOKENS + 1) % TOKENS;
                let b = src.u8();
                let permille = match b {
                    0..=127 => i128::from(b % 81) - 40,
                    128..=229 => -(i128::from(b % 8) + 1) * 50,
                    _ => (i128::from(b % 3) + 1) * 200,
                };
                Action::Price { t, permille }
            }
            26 => {
                let s = u64::from(src.u16());
                Action::Advance(if s % 4 == 0 { s * 4 } else { s % 1_800 + 1 })
            }
            27 => Action::AdvanceStale(u64::from(src.u16()) % 3_000 + 601),
            28 => Action::Reweight {
                t: src.below(TOKENS),
                preset: src.below(PRESETS.len()),
            },
            29 => match src.u8() % 4 {
                0 => Action::GuardianMode {
                    t: src.below(TOKENS),
                    frozen: src.flag(),
                },
                1 => Action::GuardianStop(u32::from(src.u8() % 4)),
                _ => Action::AdminUnstop,
            },
            30 => Action::Donate {
                t: src.below(TOKENS),
                amount: src.amount(),
            },
            31 => Action::PoolSwap {
                pool: src.below(2),
                forward: src.flag(),
                amount: src.amount(),
            },
            _ => Action::StealWithdraw {
                victim: src.below(TRADERS - 1),
                t: src.below(TOKENS),
                amount: src.amount(),
            },
        };
        Some(a)
    }

    /// Up to `max` actions decoded from `bytes`.
    pub fn decode_all(bytes: &[u8], max: usize) -> std::vec::Vec<Action> {
        let mut src = ByteSource::new(bytes);
        let mut out = std::vec::Vec::new();
        while out.len() < max {
            match Action::decode(&mut src) {
                Some(a) => out.push(a),
                None => break,
            }
        }
        out
    }
}

/// A take as the checker needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TakeRecord {
    /// `price(now)` before the take (14 decimals, rounded up), the tab before it.
    pub price: i128,
    pub tab: i128,
    pub slice: i128,
    pub owe: i128,
}

/// A settlement: the `BadDebtSettled` events' sums, and the insurance funds around it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SettleRecord {
    pub written: i128,
    pub debt: i128,
    pub insurance_paid: i128,
    pub written_off: i128,
    pub insurance_before: [i128; TOKENS],
    pub insurance_after: [i128; TOKENS],
}

/// What one step did, for the checker.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    /// Whether a contract call was made, and how it ended.
    pub called: bool,
    pub ok: bool,
    pub typed_refusal: bool,
    /// The party whose funds or powers the call used, and whether `env.auths()` of the call
    /// named it.
    pub actor: Option<Address>,
    pub actor_authorised: bool,
    /// Addresses that authorised the call.
    pub authorisers: std::vec::Vec<Address>,
    /// A risk-raising account call that succeeded.
    pub risk_raised: Option<(Address, u32)>,
    /// For a trade: the account's init health before it (the deleveraging rule of SPEC §3).
    pub trade_init_before: Option<i128>,
    /// For a successful start: the account's maint health just before it.
    pub start_maint_before: Option<i128>,
    pub take: Option<TakeRecord>,
    pub settle: Option<SettleRecord>,
    /// For a refused call: whether the books changed (they must not).
    pub refused_changed: Option<String>,
}

impl Outcome {
    /// A step without a call (time, prices).
    pub fn none() -> Self {
        Outcome::default()
    }
}

/// How a `try_` call ended.
enum End {
    Ok,
    Typed,
    Untyped,
}

fn end<T, C, E, I>(r: &Result<Result<T, C>, Result<E, I>>) -> End {
    match r {
        Ok(Ok(_)) => End::Ok,
        Err(Ok(_)) => End::Typed,
        _ => End::Untyped,
    }
}

/// Everything a refused call must leave as it was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snapshot {
    books: Books,
    auctions: std::vec::Vec<Option<liquidation_auction::Auction>>,
    insurance: [i128; TOKENS],
    stopped: u32,
}

impl World {
    pub fn snapshot(&self) -> Snapshot {
        let who: std::vec::Vec<&Address> = self
            .lenders
            .iter()
            .chain(&self.traders)
            .chain(&self.keepers)
            .collect();
        let accounts = self.accounts();
        let refs: std::vec::Vec<(&Address, u32)> = accounts.iter().map(|(o, i)| (o, *i)).collect();
        let a = &self.f.auction;
        Snapshot {
            books: self.p().books(&who, &refs),
            auctions: self
                .live
                .iter()
                .map(|id| a.try_auction(id).ok().and_then(|r| r.ok()))
                .collect(),
            insurance: core::array::from_fn(|i| a.insurance(&self.p().tokens[i])),
            stopped: a.stopped(),
        }
    }

    fn init_health(&self, owner: &Address, id: u32) -> Option<i128> {
        let h = self.p().margin.try_health(owner, &id).ok()?.ok()?;
        Some(h.init)
    }

    fn auction_at(&self, a: usize) -> Option<u64> {
        if self.live.is_empty() {
            None
        } else {
            Some(self.live[a % self.live.len()])
        }
    }

    /// Runs one action and reports it. The invariants are evaluated afterwards by
    /// [`super::check_all`]; then [`World::after_check`] must be called.
    pub fn step(&mut self, action: &Action) -> Outcome {
        self.stats.steps += 1;
        let before = self.last.take().unwrap_or_else(|| self.snapshot());
        let mut out = Outcome::none();
        let ended = self.run_action(action, &mut out);
        if let Some(e) = ended {
            out.called = true;
            match e {
                End::Ok => {
                    out.ok = true;
                    self.stats.calls_ok += 1;
                }
                End::Typed => {
                    out.typed_refusal = true;
                    self.stats.calls_refused += 1;
                }
                End::Untyped => {
                    self.stats.calls_refused += 1;
                    self.stats.refused_untyped += 1;
                }
            }
            if !out.ok {
                let after = self.snapshot();
                if after != before {
                    out.refused_changed = Some(std::format!("{before:?} -> {after:?}"));
                }
                out.risk_raised = None;
            }
        }
        self.f.p.fresh_budget();
        out
    }

    /// Records the authorisers of the call just made and whether `actor` is among them.
    fn note_auths(&self, out: &mut Outcome, actor: &Address) {
        out.authorisers = self.env().auths().into_iter().map(|(a, _)| a).collect();
        out.actor_authorised = out.authorisers.contains(actor);
        out.actor = Some(actor.clone());
    }

    fn run_action(&mut self, action: &Action, out: &mut Outcome) -> Option<End> {
        let tok = |w: &World, i: usize| w.p().tokens[i].clone();
        match *action {
            Action::LenderDeposit { l, t, amount } => {
                let who = self.lenders[l % LENDERS].clone();
                let r = self.p().vaults[t].try_deposit(&amount, &who, &who, &who);
                self.note_auths(out, &who);
                Some(end(&r))
            }
            Action::LenderRedeem { l, t, pct } => {
                let who = self.lenders[l % LENDERS].clone();
                let v = &self.p().vaults[t];
                let shares = (v.balance(&who) * pct / 100).max(1);
                let r = v.try_redeem(&shares, &who, &who, &who);
                self.note_auths(out, &who);
                Some(end(&r))
            }
            Action::Deposit { who, id, t, amount } => {
                let o = self.traders[who % TRADERS].clone();
                let r = self.p().margin.try_deposit(&o, &id, &tok(self, t), &amount);
                self.note_auths(out, &o);
                Some(end(&r))
            }
            Action::Withdraw { who, id, t, amount } => {
                let o = self.traders[who % TRADERS].clone();
                let r = self
                    .p()
                    .margin
                    .try_withdraw(&o, &id, &tok(self, t), &amount, &o);
                self.note_auths(out, &o);
                out.risk_raised = Some((o, id));
                Some(end(&r))
            }
            Action::Borrow { who, id, t, amount } => {
                let o = self.traders[who % TRADERS].clone();
                let r = self
                    .p()
                    .margin
                    .try_borrow(&o, &id, &tok(self, t), &amount, &o);
                self.note_auths(out, &o);
                out.risk_raised = Some((o, id));
                Some(end(&r))
            }
            Action::Repay { who, id, t, amount } => {
                let o = self.traders[who % TRADERS].clone();
                let r = self
                    .p()
                    .margin
                    .try_repay(&o, &o, &id, &tok(self, t), &amount);
                self.note_auths(out, &o);
                Some(end(&r))
            }
            Action::Trade {
                who,
                id,
                pool,
                forward,
                amount,
            } => {
                let o = self.traders[who % TRADERS].clone();
                let (i, j, venue) = self.p().pools[pool % 2].clone();
                let (sell, buy) = if forward { (i, j) } else { (j, i) };
                out.trade_init_before = self.init_health(&o, id);
                let r = self.p().margin.try_trade(
                    &o,
                    &id,
                    &tok(self, sell),
                    &tok(self, buy),
                    &amount,
                    &0,
                    &venue,
                );
                self.note_auths(out, &o);
                out.risk_raised = Some((o, id));
                Some(end(&r))
            }
            Action::SubmitLever {
                who,
                id,
                pool,
                forward,
                amount,
            } => {
                let o = self.traders[who % TRADERS].clone();
                let (i, j, venue) = self.p().pools[pool % 2].clone();
                let (sell, buy) = if forward { (i, j) } else { (j, i) };
                let env = self.env().clone();
                let requests = vec![
                    &env,
                    Request::Trade(TradeRequest {
                        sell_asset: tok(self, sell),
                        buy_asset: tok(self, buy),
                        amount_in: amount,
                        min_amount_out: 0,
                        venue,
                    }),
                    Request::Withdraw(tok(self, buy), (amount / 10).max(1), o.clone()),
                ];
                let r = self.p().margin.try_submit(&o, &id, &requests);
                self.note_auths(out, &o);
                out.risk_raised = Some((o, id));
                Some(end(&r))
            }
            Action::Start { k, who, id, pick } => {
                let keeper = self.keepers[k % KEEPERS].clone();
                let o = self.traders[who % TRADERS].clone();
                let (coll, debt) = self.pair(&o, id, pick);
                let maint = self
                    .p()
                    .margin
                    .try_health(&o, &id)
                    .ok()
                    .and_then(|r| r.ok())
                    .map(|h| h.maint);
                let r =
                    self.f
                        .auction
                        .try_start(&keeper, &o, &id, &tok(self, coll), &tok(self, debt));
                self.note_auths(out, &keeper);
                if let Ok(Ok(aid)) = r {
                    self.live.push(aid);
                    self.stats.starts += 1;
                    out.start_maint_before = Some(maint.unwrap_or(i128::MAX));
                }
                Some(end(&r))
            }
            Action::Take { k, a, pct } => {
                let aid = self.auction_at(a)?;
                let keeper = self.keepers[k % KEEPERS].clone();
                let auction = self.f.auction.auction(&aid);
                let (price, _) = self.f.auction.price(&aid);
                let max = (auction.lot * pct / 100).max(1);
                let r = self
                    .f
                    .auction
                    .try_take(&keeper, &aid, &max, &price, &keeper, &None);
                self.note_auths(out, &keeper);
                if let Ok(Ok((slice, owe))) = r {
                    self.stats.takes += 1;
                    out.take = Some(TakeRecord {
                        price,
                        tab: auction.tab,
                        slice,
                        owe,
                    });
                }
                Some(end(&r))
            }
            Action::Reset { k, a } => {
                let aid = self.auction_at(a)?;
                let keeper = self.keepers[k % KEEPERS].clone();
                let r = self.f.auction.try_reset(&keeper, &aid);
                self.note_auths(out, &keeper);
                if let Ok(Ok(())) = r {
                    self.stats.resets += 1;
                }
                Some(end(&r))
            }
            Action::Settle { who, id } => {
                let o = self.traders[who % TRADERS].clone();
                let insurance_before = self.insurance();
                let r = self.f.auction.try_settle_bad_debt(&o, &id);
                if let Ok(Ok(written)) = r {
                    self.stats.settlements += 1;
                    let sum = |field: &str| -> i128 {
                        self.f.event_values("bad_debt_settled", field).iter().sum()
                    };
                    let (debt, paid, off) =
                        (sum("debt"), sum("insurance_paid"), sum("written_off"));
                    out.settle = Some(SettleRecord {
                        written,
                        debt,
                        insurance_paid: paid,
                        written_off: off,
                        insurance_before,
                        insurance_after: self.insurance(),
                    });
                }
                Some(end(&r))
            }
            Action::FundInsurance { k, t, amount } => {
                let keeper = self.keepers[k % KEEPERS].clone();
                let r = self
                    .f
                    .auction
                    .try_fund_insurance(&keeper, &tok(self, t), &amount);
                self.note_auths(out, &keeper);
                Some(end(&r))
            }
            Action::Price { t, permille } => {
                let p = (self.p().prices[t] * (1_000 + permille) / 1_000).max(USD / 100);
                self.f.p.set_price(t, p);
                None
            }
            Action::Advance(s) => {
                self.f.p.advance(s);
                None
            }
            Action::AdvanceStale(s) => {
                self.f.p.advance_stale(s);
                None
            }
            Action::Reweight { t, preset } => {
                let (init, maint) = PRESETS[preset % PRESETS.len()];
                let mut c = default_config(&self.p().vaults[t].address);
                c.asset_weight_init = RATIO_ONE * init / 100;
                c.asset_weight_maint = RATIO_ONE * maint / 100;
                let m = &self.p().margin;
                let queued = m.try_queue_asset(&tok(self, t), &c);
                self.note_auths(out, &self.p().admin.clone());
                if !matches!(queued, Ok(Ok(_))) {
                    return Some(end(&queued));
                }
                self.f.p.advance(DELAY);
                let r = self.p().margin.try_apply_asset(&tok(self, t));
                Some(end(&r))
            }
            Action::GuardianMode { t, frozen } => {
                let mode = if frozen {
                    AssetMode::Frozen
                } else {
                    AssetMode::ReduceOnly
                };
                let r = self.p().margin.try_set_mode(&tok(self, t), &mode);
                self.note_auths(out, &self.p().guardian.clone());
                Some(end(&r))
            }
            Action::GuardianStop(level) => {
                let g = self.p().guardian.clone();
                let r = self.f.auction.try_set_stopped(&g, &level);
                self.note_auths(out, &g);
                Some(end(&r))
            }
            Action::AdminUnstop => {
                let admin = self.p().admin.clone();
                let r = self.f.auction.try_set_stopped(&admin, &0);
                self.note_auths(out, &admin);
                Some(end(&r))
            }
            Action::Donate { t, amount } => {
                let who = self.attacker().clone();
                let to = self.p().vaults[t].address.clone();
                let r = self.p().token(t).try_transfer(&who, &to, &amount);
                self.note_auths(out, &who);
                Some(end(&r))
            }
            Action::PoolSwap {
                pool,
                forward,
                amount,
            } => {
                let who = self.attacker().clone();
                let (i, j, venue) = self.p().pools[pool % 2].clone();
                let (sell, buy) = if forward { (i, j) } else { (j, i) };
                let amm = amm_pool::AmmPoolClient::new(self.env(), &venue);
                let r = amm.try_swap(&who, &tok(self, sell), &tok(self, buy), &amount, &0, &who);
                self.note_auths(out, &who);
                Some(end(&r))
            }
            Action::StealWithdraw { victim, t, amount } => Some(self.steal(victim, t, amount, out)),
        }
    }

    /// The `(collateral, debt)` pair a start names (see [`Action::Start`]).
    fn pair(&self, owner: &Address, id: u32, pick: u8) -> (usize, usize) {
        let n = usize::from(pick);
        if n < 32 {
            return (n % TOKENS, n / TOKENS % TOKENS);
        }
        let pos = self
            .p()
            .margin
            .try_positions(owner, &id)
            .ok()
            .and_then(|r| r.ok());
        let (mut coll, mut debt) = (std::vec::Vec::new(), std::vec::Vec::new());
        for (i, t) in self.p().tokens.iter().enumerate() {
            match pos.as_ref().and_then(|m| m.get(t.clone())).unwrap_or(0) {
                x if x > 0 => coll.push(i),
                x if x < 0 => debt.push(i),
                _ => {}
            }
        }
        let pick_of = |v: &[usize], d: usize| v.get(n % v.len().max(1)).copied().unwrap_or(d);
        (pick_of(&coll, 0), pick_of(&debt, 1))
    }

    /// Every token balance the fund of each asset holds.
    pub fn insurance(&self) -> [i128; TOKENS] {
        core::array::from_fn(|i| self.f.auction.insurance(&self.p().tokens[i]))
    }

    /// `withdraw(victim, 0, ..., to: attacker)` signed by the attacker alone: the call must
    /// demand the victim's auth and fail without it.
    fn steal(&mut self, victim: usize, t: usize, amount: i128, out: &mut Outcome) -> End {
        use soroban_sdk::testutils::{MockAuth, MockAuthInvoke};
        use soroban_sdk::IntoVal;
        let victim = self.traders[victim % (TRADERS - 1)].clone();
        let attacker = self.attacker().clone();
        let asset = self.p().tokens[t].clone();
        let margin = margin_account::MarginAccountClient::new(self.env(), &self.p().margin.address);
        let args = (
            victim.clone(),
            0u32,
            asset.clone(),
            amount,
            attacker.clone(),
        );
        let invoke = MockAuthInvoke {
            contract: &margin.address,
            fn_name: "withdraw",
            args: args.into_val(self.env()),
            sub_invokes: &[],
        };
        let auths = [MockAuth {
            address: &attacker,
            invoke: &invoke,
        }];
        let mocked = margin.mock_auths(&auths);
        let r = mocked.try_withdraw(&victim, &0, &asset, &amount, &attacker);
        // Back to the world's default: every auth mocked.
        self.env().mock_all_auths();
        out.actor = Some(victim);
        out.authorisers = std::vec::Vec::new();
        out.actor_authorised = false;
        end(&r)
    }
}
