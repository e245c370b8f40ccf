//! JSON-RPC 2.0 over HTTP POST, with retries for transport failures.

use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::RpcError;

/// Largest response body accepted: a full `getEvents` page (10,000 events) fits comfortably.
const MAX_BODY_BYTES: u64 = 64 * 1024 * 1024;

/// How many characters of an unexpected HTTP body are kept in an error.
const BODY_EXCERPT_CHARS: usize = 200;

/// When and how often a transport failure is retried.
///
/// The delay doubles after each failed attempt, starting at `initial_backoff` and capped at
/// `max_backoff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Total attempts, including the first (1 disables retries).
    pub max_attempts: u32,
    /// Delay before the second attempt.
    pub initial_backoff: Duration,
    /// Upper bound of the delay between two attempts.
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(4),
        }
    }
}

impl RetryPolicy {
    /// The delay to wait after failed attempt number `attempt` (1-based).
    pub fn backoff(&self, attempt: u32) -> Duration {
        let factor = 1u32
            .checked_shl(attempt.saturating_sub(1))
            .unwrap_or(u32::MAX);
        self.initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff)
    }
}

/// Settings of an [`RpcClient`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientConfig {
    /// Time limit of one HTTP exchange (connect, send, read the whole answer).
    pub request_timeout: Duration,
    /// Retry policy for transport failures.
    pub retry: RetryPolicy,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            request_timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
        }
    }
}

/// A blocking client for one Stellar RPC endpoint.
///
/// This type carries the JSON-RPC envelope, request ids and the retry loop; the typed methods
/// ([`RpcClient::get_health`], [`RpcClient::get_events`], ...) are built on [`RpcClient::call`].
pub struct RpcClient {
    url: String,
    agent: ureq::Agent,
    retry: RetryPolicy,
    next_id: AtomicU64,
}

#[derive(Serialize)]
struct Request<'a, P: Serialize> {
    jsonrpc: &'static str,
    id: u64,
    method: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    params: Option<&'a P>,
}

#[derive(Deserialize)]
struct Response {
    id: Option<Value>,
    result: Option<Value>,
    error: Option<ErrorObject>,
}

#[derive(Deserialize)]
struct ErrorObject {
    code: i64,
    message: String,
    data: Option<Value>,
}

/// The outcome of one HTTP attempt that did not produce a body.
enum AttemptError {
    Retryable(String),
    Fatal(RpcError),
}

impl RpcClient {
    /// A client for `url` (for example `https://soroban-testnet.stellar.org`).
    pub fn new(url: impl Into<String>, config: ClientConfig) -> Self {
        let agent_config = ureq::Agent::config_builder()
            .timeout_global(Some(config.request_timeout))
            .http_status_as_error(false)
            .build();
        RpcClient {
            url: url.into(),
            agent: ureq::Agent::new_with_config(agent_config),
            retry: config.retry,
            next_id: AtomicU64::new(1),
        }
    }

    /// The endpoint this client talks to.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Calls `method` with by-name `params` (or none) and decodes its `result`.
    ///
    /// # Errors
    ///
    /// [`RpcError::Transport`] once the retry policy is exhausted, [`RpcError::JsonRpc`] for an
    /// error object, [`RpcError::Http`] for a non-transient HTTP status and
    /// [`RpcError::Decode`] when the answer is not the documented shape.
    pub fn call<P: Serialize, R: DeserializeOwned>(
        &self,
        method: &str,
        params: Option<&P>,
    ) -> Result<R, RpcError> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let request = Request {
            jsonrpc: "2.0",
            id,
            method,
            params,
        };
        let body = serde_json::to_string(&request).map_err(|e| RpcError::decode(method, e))?;
        let answer = self.post_with_retry(&body)?;
        let result = parse_response(&answer, id)?;
        serde_json::from_value(result).map_err(|e| RpcError::decode(method, e))
    }

    fn post_with_retry(&self, body: &str) -> Result<String, RpcError> {
        let mut attempt = 1;
        loop {
            match self.post_once(body) {
                Ok(answer) => return Ok(answer),
                Err(AttemptError::Fatal(err)) => return Err(err),
                Err(AttemptError::Retryable(message)) => {
                    if attempt >= self.retry.max_attempts {
                        return Err(RpcError::Transport {
                            attempts: attempt,
                            message,
                        });
                    }
                    thread::sleep(self.retry.backoff(attempt));
                    attempt += 1;
                }
            }
        }
    }

    fn post_once(&self, body: &str) -> Result<String, AttemptError> {
        let mut response = self
            .agent
            .post(&self.url)
            .header("Content-Type", "application/json")
            .send(body)
            .map_err(classify_ureq_error)?;
        let status = response.status().as_u16();
        let text = response
            .body_mut()
            .with_config()
            .limit(MAX_BODY_BYTES)
            .read_to_string()
            .map_err(classify_ureq_error)?;
        match status {
            200 => Ok(text),
            429 | 500..=599 => Err(AttemptError::Retryable(format!("HTTP status {status}"))),
            _ => Err(AttemptError::Fatal(RpcError::Http {
                status,
                body: text.chars().take(BODY_EXCERPT_CHARS).collect(),
            })),
        }
    }
}

fn classify_ureq_error(err: ureq::Error) -> AttemptError {
    match err {
        ureq::Error::Io(_)
        | ureq::Error::Timeout(_)
        | ureq::Error::HostNotFound
        | ureq::Error::ConnectionFailed
        | ureq::Error::Protocol(_) => AttemptError::Retryable(err.to_string()),
        other => AttemptError::Fatal(RpcError::Transport {
            attempts: 1,
            message: other.to_string(),
        }),
    }
}

/// Extracts `result` from a JSON-RPC 2.0 response to request `id`.
fn parse_response(answer: &str, id: u64) -> Result<Value, RpcError> {
    let response: Response =
        serde_json::from_str(answer).map_err(|e| RpcError::decode("JSON-RPC response", e))?;
    if let Some(error) = response.error {
        return Err(RpcError::JsonRpc {
            code: error.code,
            message: error.message,
            data: error.data,
        });
    }
    if response.id != Some(Value::from(id)) {
        return Err(RpcError::Decode(format!(
            "response id {:?} does not match request id {id}",
            response.id
        )));
    }
    response
        .result
        .ok_or_else(|| RpcError::Decode("response has neither result nor error".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_then_caps() {
        let policy = RetryPolicy {
            max_attempts: 10,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(350),
        };
        let delays: Vec<u128> = (1..=4).map(|a| policy.backoff(a).as_millis()).collect();
        assert_eq!(delays, vec![100, 200, 350, 350]);
        assert_eq!(policy.backoff(64), Duration::from_millis(350));
    }

    #[test]
    fn error_object_wins_over_missing_result() {
        let answer = r#"{"jsonrpc":"2.0","id":7,"error":{"code":-32602,"message":"bad"}}"#;
        let err = parse_response(answer, 7).unwrap_err();
        assert!(matches!(err, RpcError::JsonRpc { code: -32602, .. }));
    }

    #[test]
    fn mismatched_id_is_a_decode_error() {
        let answer = r#"{"jsonrpc":"2.0","id":8,"result":{}}"#;
        assert!(matches!(
            parse_response(answer, 7),
            Err(RpcError::Decode(_))
        ));
    }
}
