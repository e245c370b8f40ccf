//! Cost guard: `deposit` and `redeem` stay within half of Blend's pool `submit` (SPEC §10
//! targets: 0.94M CPU instructions, 1.48 MB of memory) on the optimised WASM, in the worst
//! realistic case: debt outstanding and interest to accrue.

use protocol_tests::vault_fixture::{VaultFixture, UNIT};
use soroban_sdk::Env;

const MAX_INSTRUCTIONS: i64 = 940_000;
const MAX_MEM_BYTES: i64 = 1_480_000;

fn assert_within_targets(env: &Env, what: &str) {
    let r = env.cost_estimate().resources();
    assert!(
        r.instructions <= MAX_INSTRUCTIONS,
        "{what}: {} instructions",
        r.instructions
    );
    assert!(
        r.mem_bytes <= MAX_MEM_BYTES,
        "{what}: {} bytes of memory",
        r.mem_bytes
    );
}

#[test]
fn deposit_and_redeem_meet_the_cost_targets() {
    let f = VaultFixture::new();
    let (lender, _) = f.lender(1_000 * UNIT);
    f.borrow(500 * UNIT);
    f.advance(3_600);

    let newcomer = f.funded(100 * UNIT);
    f.vault
        .deposit(&(100 * UNIT), &newcomer, &newcomer, &newcomer);
    assert_within_targets(&f.env, "first deposit");

    f.advance(3_600);
    f.fund(&lender, 100 * UNIT);
    f.vault.deposit(&(100 * UNIT), &lender, &lender, &lender);
    assert_within_targets(&f.env, "repeat deposit");

    f.advance(3_600);
    f.vault.redeem(&(10 * UNIT), &lender, &lender, &lender);
    assert_within_targets(&f.env, "redeem");

    f.advance(3_600);
    let all = f.vault.balance(&newcomer);
    f.vault.redeem(&all, &newcomer, &newcomer, &newcomer);
    assert_within_targets(&f.env, "redeem all");
}
