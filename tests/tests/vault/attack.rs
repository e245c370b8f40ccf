//! The first-depositor inflation attack: the attacker owns the only share of an empty vault and
//! tries to raise its price so that a later deposit rounds down to (almost) nothing.

use protocol_tests::vault_fixture::{VaultFixture, UNIT};

#[test]
fn a_donation_to_an_empty_vault_does_not_move_the_price() {
    let f = VaultFixture::new();
    let attacker = f.funded(1_000_001 * UNIT);
    let victim = f.funded(1_000 * UNIT);

    // One unit for one share, then a million tokens sent straight to the vault.
    f.vault.deposit(&1, &attacker, &attacker, &attacker);
    f.token
        .transfer(&attacker, &f.vault_id, &(1_000_000 * UNIT));
    assert_eq!(f.vault.total_assets(), 1);
    assert_eq!(f.vault.preview_deposit(&(1_000 * UNIT)), 1_000 * UNIT);

    let shares = f.vault.deposit(&(1_000 * UNIT), &victim, &victim, &victim);
    f.vault.redeem(&1, &attacker, &attacker, &attacker);
    let back = f.vault.redeem(&shares, &victim, &victim, &victim);

    // The victim loses at most one unit of rounding; the attacker loses the donation.
    assert!(back >= 1_000 * UNIT - 1, "victim got back {back}");
    assert_eq!(f.token.balance(&attacker), UNIT);
}

#[test]
fn burning_shares_cannot_inflate_the_price_either() {
    let f = VaultFixture::new();
    let attacker = f.funded(1_000 * UNIT);
    let victim = f.funded(1_000 * UNIT);

    // The attacker deposits, then burns every share but one, hoping to leave 1,000 tokens
    // behind a single share.
    let shares = f
        .vault
        .deposit(&(1_000 * UNIT), &attacker, &attacker, &attacker);
    f.vault.burn(&attacker, &(shares - 1));
    assert_eq!(f.vault.convert_to_assets(&1), 1);

    let victim_shares = f
        .vault
        .deposit(&(999 * UNIT + 7), &victim, &victim, &victim);
    let back = f.vault.redeem(&victim_shares, &victim, &victim, &victim);
    assert!(back >= 999 * UNIT + 6, "victim got back {back}");
}
