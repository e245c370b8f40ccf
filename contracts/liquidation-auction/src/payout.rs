//! Moving the lot and the proceeds. The lot is held as collateral tokens (margin-account's
//! `seize` redeems the account's vault shares to this contract at `start`), so the keeper's bonus
//! and every slice leave as plain token transfers. Proceeds and the unsold rest of a lot go back
//! through margin-account's `settle`, one call per take.

use risk_core::Bonus;
use soroban_sdk::auth::{ContractContext, InvokerContractAuthEntry, SubContractInvocation};
use soroban_sdk::token::TokenClient;
use soroban_sdk::{symbol_short, vec, Address, Env, IntoVal, Symbol, Val, Vec};

use crate::clients::MarginClient;
use crate::events::{AuctionClosed, KeeperPaid};
use crate::types::Auction;
use crate::{storage, Error};

/// Sends `tokens` of collateral from the lot to `to`.
///
/// # Errors
/// `Underflow` - more than the lot.
pub fn pay_out(env: &Env, a: &mut Auction, to: &Address, tokens: i128) -> Result<(), Error> {
    if tokens <= 0 {
        return Ok(());
    }
    a.lot = a.lot.checked_sub(tokens).ok_or(Error::Overflow)?;
    if a.lot < 0 {
        return Err(Error::Underflow);
    }
    TokenClient::new(env, &a.collateral).transfer(&env.current_contract_address(), to, &tokens);
    Ok(())
}

/// Pays a keeper bonus from the lot and takes it off the tab's penalty part.
pub fn bonus(
    env: &Env,
    auction_id: u64,
    a: &mut Auction,
    keeper: &Address,
    b: &Bonus,
) -> Result<(), Error> {
    if b.collateral <= 0 {
        return Ok(());
    }
    pay_out(env, a, keeper, b.collateral)?;
    a.tab = a.tab.checked_sub(b.tab_reduction).ok_or(Error::Overflow)?;
    KeeperPaid {
        auction_id,
        keeper: keeper.clone(),
        collateral: b.collateral,
        tab_reduction: b.tab_reduction,
    }
    .publish(env);
    Ok(())
}

/// One invocation authorised as this contract for the call that follows. `fn_name` is a
/// `symbol_short!` constant: `Symbol::new` of a string packs it in the VM on every call.
fn auth_entry(
    contract: &Address,
    fn_name: Symbol,
    args: Vec<Val>,
    subs: Vec<InvokerContractAuthEntry>,
) -> InvokerContractAuthEntry {
    InvokerContractAuthEntry::Contract(SubContractInvocation {
        context: ContractContext {
            contract: contract.clone(),
            fn_name,
            args,
        },
        sub_invocations: subs,
    })
}

/// What one `settle` call moves from this contract into an account.
pub struct Settlement<'a> {
    pub owner: &'a Address,
    pub id: u32,
    /// Debt tokens that repay the account (`debt_vault`'s `repay`).
    pub debt: &'a Address,
    pub debt_vault: &'a Address,
    pub repay: i128,
    /// Collateral tokens that go back into the account (`vault`'s `deposit`).
    pub collateral: &'a Address,
    pub vault: &'a Address,
    pub returned: i128,
}

/// Calls margin-account's `settle`, having authorised, as this contract and for exactly these
/// amounts, the vault calls it makes (`repay(this, repay)`, `deposit(returned, margin, this,
/// this)`) and their token transfers. `None` when margin-account refuses (for instance the
/// account owes less than `repay`): the failed call changes nothing.
pub fn try_settle(env: &Env, margin: &MarginClient, s: &Settlement) -> Option<i128> {
    let me = env.current_contract_address();
    let mut entries = vec![env];
    let transfer = |token: &Address, vault: &Address, amount: i128| {
        auth_entry(
            token,
            symbol_short!("transfer"),
            (me.clone(), vault.clone(), amount).into_val(env),
            vec![env],
        )
    };
    if s.repay > 0 {
        entries.push_back(auth_entry(
            s.debt_vault,
            symbol_short!("repay"),
            (me.clone(), s.repay).into_val(env),
            vec![env, transfer(s.debt, s.debt_vault, s.repay)],
        ));
    }
    if s.returned > 0 {
        entries.push_back(auth_entry(
            s.vault,
            symbol_short!("deposit"),
            (s.returned, margin.address.clone(), me.clone(), me.clone()).into_val(env),
            vec![env, transfer(s.collateral, s.vault, s.returned)],
        ));
    }
    env.authorize_as_current_contract(entries);
    match margin.try_settle(s.owner, &s.id, s.debt, &s.repay, s.collateral, &s.returned) {
        Ok(Ok(repaid)) => Some(repaid),
        _ => None,
    }
}

/// Repays `amount` of the account's debt in `asset` from this contract's balance.
///
/// # Errors
/// `AccountUnavailable` - margin-account refused (the account owes less, or nothing).
pub fn repay(
    env: &Env,
    margin: &MarginClient,
    account: (&Address, u32),
    asset: &Address,
    vault: &Address,
    amount: i128,
) -> Result<i128, Error> {
    let s = Settlement {
        owner: account.0,
        id: account.1,
        debt: asset,
        debt_vault: vault,
        repay: amount,
        collateral: asset,
        vault,
        returned: 0,
    };
    try_settle(env, margin, &s).ok_or(Error::AccountUnavailable)
}

/// Gives `amount` tokens of `asset` back to the account as a deposit through margin-account's
/// `settle`; when margin-account refuses it, the owner receives the tokens, so that returning an
/// account's own assets never blocks a liquidation.
pub fn give_back(
    env: &Env,
    margin: &MarginClient,
    a: &Auction,
    asset: &Address,
    vault: &Address,
    amount: i128,
) {
    if amount <= 0 {
        return;
    }
    let s = Settlement {
        owner: &a.owner,
        id: a.id,
        debt: &a.debt,
        debt_vault: &a.debt_vault,
        repay: 0,
        collateral: asset,
        vault,
        returned: amount,
    };
    if try_settle(env, margin, &s).is_none() {
        let me = env.current_contract_address();
        TokenClient::new(env, asset).transfer(&me, &a.owner, &amount);
    }
}

/// Ends an auction: the rest of the lot goes back to the account, the caps are released, the
/// entry removed. `returned` is what the caller already gave back of the lot.
pub fn close(
    env: &Env,
    margin: &MarginClient,
    auction_id: u64,
    a: &Auction,
    returned: i128,
) -> Result<(), Error> {
    give_back(env, margin, a, &a.collateral, &a.vault, a.lot);
    storage::add_cap_value(env, &a.collateral, -a.cap_value)?;
    // The other live auctions, rebuilt element by element: `Vec::remove` would import the host's
    // `vec_del` for this alone, and every import costs every instantiation of this contract.
    let mut ids = Vec::new(env);
    for other in storage::account_auctions(env, &a.owner, a.id, false).iter() {
        if other != auction_id {
            ids.push_back(other);
        }
    }
    storage::set_account_auctions(env, &a.owner, a.id, &ids);
    storage::remove_auction(env, auction_id);
    AuctionClosed {
        auction_id,
        owner: a.owner.clone(),
        id: a.id,
        returned: returned + a.lot,
        tab_left: a.tab,
        debt_left: a.debt_left,
    }
    .publish(env);
    Ok(())
}
