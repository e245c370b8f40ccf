//! `submit`: any sequence of actions on one account with one health check at the end and the
//! owner's wallet flows netted per asset.
//!
//! Netting: the requests that move tokens between the account and the **owner's wallet**
//! (`Deposit`, `Repay`, and `Withdraw`/`Borrow` to the owner) are summed per asset into one net
//! amount, moved by one vault call: a net inflow repays debt and deposits what the `Deposit`s
//! brought (the `Repay` part beyond the debt is not taken), a net outflow withdraws and borrows
//! (borrowing only if the group holds a `Borrow`). Net inflows run first, then the other requests
//! in order (trades, withdrawals and borrows to other addresses), then net outflows; so a trade
//! can sell what the same call deposits. The end state is what running the requests one by one
//! would give, checked once.

use soroban_sdk::{Address, Vec};

use crate::markets::MAX_TOUCHED;
use crate::ops::{self, Swap, MAX_TRADES};
use crate::session::{check_amount, Session};
use crate::types::Request;
use crate::Error;

/// Most requests in one `submit`.
pub const MAX_REQUESTS: u32 = 16;

/// The owner-wallet flows of one asset.
#[derive(Clone)]
struct Flow {
    asset: Address,
    deposit: i128,
    repay: i128,
    withdraw: i128,
    borrow: i128,
}

struct Flows {
    items: [Option<Flow>; MAX_TOUCHED],
}

impl Flows {
    fn entry(&mut self, asset: &Address) -> Result<&mut Flow, Error> {
        let at = self
            .items
            .iter()
            .position(|f| f.as_ref().is_none_or(|f| f.asset == *asset))
            .ok_or(Error::InvalidRequests)?;
        Ok(self.items[at].get_or_insert_with(|| Flow {
            asset: asset.clone(),
            deposit: 0,
            repay: 0,
            withdraw: 0,
            borrow: 0,
        }))
    }
}

fn add(a: &mut i128, b: i128) -> Result<(), Error> {
    check_amount(b)?;
    *a = a.checked_add(b).ok_or(Error::Overflow)?;
    Ok(())
}

/// Sums the owner-wallet flows; returns them and whether there is a deposit.
fn collect(owner: &Address, requests: &Vec<Request>) -> Result<(Flows, bool), Error> {
    let mut flows = Flows {
        items: [const { None }; MAX_TOUCHED],
    };
    let mut opens = false;
    for r in requests.iter() {
        match r {
            Request::Deposit(a, n) => {
                opens = true;
                add(&mut flows.entry(&a)?.deposit, n)?
            }
            Request::Repay(a, n) => add(&mut flows.entry(&a)?.repay, n)?,
            Request::Withdraw(a, n, to) if to == *owner => add(&mut flows.entry(&a)?.withdraw, n)?,
            Request::Borrow(a, n, to) if to == *owner => add(&mut flows.entry(&a)?.borrow, n)?,
            _ => {}
        }
    }
    Ok((flows, opens))
}

/// Runs `requests` on the loaded account and returns the swaps to check.
pub fn run(
    s: &mut Session,
    requests: &Vec<Request>,
    swaps: &mut [Option<Swap>; MAX_TRADES],
) -> Result<usize, Error> {
    let owner = s.owner.clone();
    let (flows, _) = collect(&owner, requests)?;
    for f in flows.items.iter().flatten() {
        let inflow = f.deposit.checked_add(f.repay).ok_or(Error::Overflow)?;
        let outflow = f.withdraw.checked_add(f.borrow).ok_or(Error::Overflow)?;
        if inflow > outflow {
            let deposit = (f.deposit - outflow).max(0);
            ops::put(s, &f.asset, &owner, inflow - outflow - deposit, deposit)?;
        }
    }
    let mut n = 0;
    for r in requests.iter() {
        match r {
            Request::Withdraw(a, amount, to) if to != owner => {
                ops::take(s, &a, &to, amount, false)?;
            }
            Request::Borrow(a, amount, to) if to != owner => {
                ops::take(s, &a, &to, amount, true)?;
            }
            Request::Trade(t) => {
                let slot = swaps.get_mut(n).ok_or(Error::InvalidRequests)?;
                *slot = Some(ops::trade(s, &t)?);
                n += 1;
            }
            _ => {}
        }
    }
    for f in flows.items.iter().flatten() {
        let inflow = f.deposit + f.repay;
        let outflow = f.withdraw + f.borrow;
        if outflow > inflow {
            ops::take(s, &f.asset, &owner, outflow - inflow, f.borrow > 0)?;
        }
    }
    Ok(n)
}

/// Whether `requests` may open the account (it holds a deposit).
pub fn opens(owner: &Address, requests: &Vec<Request>) -> Result<bool, Error> {
    if requests.is_empty() || requests.len() > MAX_REQUESTS {
        return Err(Error::InvalidRequests);
    }
    Ok(collect(owner, requests)?.1)
}
