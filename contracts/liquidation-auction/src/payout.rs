//! Moving the lot: collateral out of escrow (bonus, slices) as tokens, and the rest back to the
//! account. The lot is vault shares; takers and keepers receive the underlying tokens (the vault
//! `withdraw`s exactly the amount, burning the shares it needs), so a keeper can sell at once.

use risk_core::Bonus;
use soroban_sdk::auth::{ContractContext, InvokerContractAuthEntry, SubContractInvocation};
use soroban_sdk::{vec, Address, Env, IntoVal, Symbol, Val, Vec};

use crate::clients::{MarginClient, VaultClient};
use crate::events::{AuctionClosed, KeeperPaid};
use crate::types::Auction;
use crate::{storage, Error};

/// Sends `tokens` of collateral from the lot to `to`; returns the shares burned. When `all`, the
/// whole lot is redeemed instead (and every token it is worth goes to `to`).
pub fn pay_out(
    env: &Env,
    a: &mut Auction,
    to: &Address,
    tokens: i128,
    all: bool,
) -> Result<i128, Error> {
    let me = env.current_contract_address();
    let vault = VaultClient::new(env, &a.vault);
    let burned = if all {
        if a.lot > 0 {
            vault.redeem(&a.lot, to, &me, &me);
        }
        a.lot
    } else if tokens > 0 {
        vault.withdraw(&tokens, to, &me, &me)
    } else {
        0
    };
    a.lot = a.lot.checked_sub(burned).ok_or(Error::Overflow)?;
    if a.lot < 0 {
        return Err(Error::Underflow);
    }
    Ok(burned)
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
    let shares = pay_out(env, a, keeper, b.collateral, false)?;
    a.tab = a.tab.checked_sub(b.tab_reduction).ok_or(Error::Overflow)?;
    KeeperPaid {
        auction_id,
        keeper: keeper.clone(),
        collateral: b.collateral,
        shares,
        tab_reduction: b.tab_reduction,
    }
    .publish(env);
    Ok(())
}

/// One invocation authorised as this contract for the call that follows.
pub fn auth_entry(
    contract: &Address,
    fn_name: &str,
    args: Vec<Val>,
    subs: Vec<InvokerContractAuthEntry>,
    env: &Env,
) -> InvokerContractAuthEntry {
    InvokerContractAuthEntry::Contract(SubContractInvocation {
        context: ContractContext {
            contract: contract.clone(),
            fn_name: Symbol::new(env, fn_name),
            args,
        },
        sub_invocations: subs,
    })
}

/// Repays up to `amount` of the account's debt in `asset` from this contract's balance through
/// margin-account, which calls the vault's `repay(from = this contract)`, which transfers: both
/// deeper calls are authorised here as this contract, for exactly `amount`.
pub fn repay_for(
    env: &Env,
    margin: &MarginClient,
    account: (&Address, u32),
    asset: &Address,
    vault: &Address,
    amount: i128,
) -> i128 {
    let me = env.current_contract_address();
    authorize_repay(env, &me, asset, vault, amount);
    margin.credit_debt(&me, account.0, &account.1, asset, &amount)
}

/// As [`repay_for`], but `None` when margin-account refuses (the account owes less than
/// `amount`, or nothing): the failed call changes nothing.
pub fn try_repay_for(
    env: &Env,
    margin: &MarginClient,
    account: (&Address, u32),
    asset: &Address,
    vault: &Address,
    amount: i128,
) -> Option<i128> {
    let me = env.current_contract_address();
    authorize_repay(env, &me, asset, vault, amount);
    match margin.try_credit_debt(&me, account.0, &account.1, asset, &amount) {
        Ok(Ok(repaid)) => Some(repaid),
        _ => None,
    }
}

fn authorize_repay(env: &Env, me: &Address, asset: &Address, vault: &Address, amount: i128) {
    let transfer = auth_entry(
        asset,
        "transfer",
        (me.clone(), vault.clone(), amount).into_val(env),
        vec![env],
        env,
    );
    let repay = auth_entry(
        vault,
        "repay",
        (me.clone(), amount).into_val(env),
        vec![env, transfer],
        env,
    );
    env.authorize_as_current_contract(vec![env, repay]);
}

/// Gives `amount` of the debt asset (proceeds beyond the account's debt) back to the account as
/// a deposit through margin-account's `deposit_for`; when margin-account refuses it (the asset
/// takes no deposits), the owner receives the tokens.
pub fn refund(env: &Env, margin: &MarginClient, a: &Auction, amount: i128) {
    let me = env.current_contract_address();
    let transfer = auth_entry(
        &a.debt,
        "transfer",
        (me.clone(), a.debt_vault.clone(), amount).into_val(env),
        vec![env],
        env,
    );
    let deposit = auth_entry(
        &a.debt_vault,
        "deposit",
        (amount, margin.address.clone(), me.clone(), me.clone()).into_val(env),
        vec![env, transfer],
        env,
    );
    env.authorize_as_current_contract(vec![env, deposit]);
    let done = margin.try_deposit_for(&me, &a.owner, &a.id, &a.debt, &amount);
    if !matches!(done, Ok(Ok(()))) {
        soroban_sdk::token::TokenClient::new(env, &a.debt).transfer(&me, &a.owner, &amount);
    }
}

/// Ends an auction: the rest of the lot goes back to the account, the caps are released, the
/// entry removed.
pub fn close(env: &Env, margin: &MarginClient, auction_id: u64, a: &Auction) -> Result<(), Error> {
    let me = env.current_contract_address();
    if a.lot > 0 {
        let transfer = auth_entry(
            &a.vault,
            "transfer",
            (me.clone(), margin.address.clone(), a.lot).into_val(env),
            vec![env],
            env,
        );
        env.authorize_as_current_contract(vec![env, transfer]);
        margin.return_collateral(&a.owner, &a.id, &a.collateral, &a.lot);
    }
    storage::add_cap_value(env, &a.collateral, -a.cap_value)?;
    let mut ids = storage::account_auctions(env, &a.owner, a.id, false);
    if let Some(at) = ids.first_index_of(auction_id) {
        ids.remove(at);
    }
    storage::set_account_auctions(env, &a.owner, a.id, &ids);
    storage::remove_auction(env, auction_id);
    AuctionClosed {
        auction_id,
        owner: a.owner.clone(),
        id: a.id,
        returned: a.lot,
        tab_left: a.tab,
        debt_left: a.debt_left,
    }
    .publish(env);
    Ok(())
}
