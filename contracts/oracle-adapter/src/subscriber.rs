//! The subscriber: the one contract (margin-account) that keeps copies of the adapter's quotes
//! (its quote cache) and is told, in the same transaction, whenever a quote changes other than by
//! a pull — a guardian `trip` or a source change. A copy is reused only before the quote's
//! `valid_until` (see `quotes_packed`), which no feed can change, so with these notices a copy is
//! always what the adapter itself would serve.
//!
//! Set once by the admin (`set_subscriber`), like margin-account's first liquidator; the notice
//! is sent at once, which is what turns the subscriber's cache on.

use soroban_sdk::{contractclient, contractevent, symbol_short, Address, Env, Symbol};

use crate::error::Error;

/// Key of the subscriber (instance storage).
const SUBSCRIBER: Symbol = symbol_short!("subscr");

#[allow(dead_code)]
#[contractclient(name = "SubscriberClient")]
trait SubscriberApi {
    /// Drop every copy of the adapter's quotes.
    fn quotes_changed(env: Env);
}

/// The subscriber was registered.
#[contractevent]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct SubscriberSet {
    #[topic]
    pub subscriber: Address,
}

/// A notice to the subscriber: `delivered` is false when its `quotes_changed` failed (the change
/// stands; the subscriber's copies then expire at their `valid_until`, within one resolution).
#[contractevent]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct SubscriberNotified {
    #[topic]
    pub subscriber: Address,
    pub delivered: bool,
}

/// Tells the subscriber, if any, that quotes changed outside a pull.
///
/// A failing subscriber cannot block the change that caused the notice (a breaker trip must
/// always go through): the failure is reported in the event.
pub fn notify(env: &Env) {
    let Some(subscriber) = subscriber(env) else {
        return;
    };
    let delivered = matches!(
        SubscriberClient::new(env, &subscriber).try_quotes_changed(),
        Ok(Ok(()))
    );
    SubscriberNotified {
        subscriber,
        delivered,
    }
    .publish(env);
}

/// The registered subscriber, if any.
pub fn subscriber(env: &Env) -> Option<Address> {
    env.storage().instance().get(&SUBSCRIBER)
}

/// Registers `subscriber` once and sends it the first notice.
///
/// # Errors
/// [`Error::SubscriberAlreadySet`].
pub fn register(env: &Env, subscriber: Address) -> Result<(), Error> {
    let instance = env.storage().instance();
    if instance.has(&SUBSCRIBER) {
        return Err(Error::SubscriberAlreadySet);
    }
    instance.set(&SUBSCRIBER, &subscriber);
    SubscriberSet {
        subscriber: subscriber.clone(),
    }
    .publish(env);
    notify(env);
    Ok(())
}
