//! Errors of the Stellar RPC client.

use std::fmt;

/// What went wrong talking to a Stellar RPC endpoint.
///
/// Only [`RpcError::Transport`] is retried by the client: a JSON-RPC error object or an
/// undecodable answer will not get better by asking again, and retrying a rejected
/// `sendTransaction` could hide the rejection.
#[derive(Debug, Clone, PartialEq)]
pub enum RpcError {
    /// The request did not reach the server or no HTTP answer came back (connection refused,
    /// reset, timeout), or the server answered with a transient HTTP status (429, 5xx). Already
    /// retried `attempts` times with backoff.
    Transport {
        /// How many attempts were made in total.
        attempts: u32,
        /// The last failure.
        message: String,
    },
    /// The server answered with a non-transient HTTP status other than 200 (for example 404 on
    /// a wrong path).
    Http {
        /// HTTP status code.
        status: u16,
        /// Start of the response body, for the log.
        body: String,
    },
    /// The server answered with a JSON-RPC 2.0 error object.
    JsonRpc {
        /// JSON-RPC error code (for example -32602 for invalid params).
        code: i64,
        /// Human-readable message from the server.
        message: String,
        /// Optional `data` member of the error object.
        data: Option<serde_json::Value>,
    },
    /// The answer could not be decoded: not JSON, not the documented shape, or bad XDR inside.
    Decode(String),
}

impl RpcError {
    /// Whether the error is transient (the client retries these).
    pub fn is_transport(&self) -> bool {
        matches!(self, RpcError::Transport { .. })
    }

    /// Builds a [`RpcError::Decode`] from anything printable.
    pub fn decode(what: &str, err: impl fmt::Display) -> Self {
        RpcError::Decode(format!("{what}: {err}"))
    }
}

impl fmt::Display for RpcError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RpcError::Transport { attempts, message } => {
                write!(f, "transport error after {attempts} attempt(s): {message}")
            }
            RpcError::Http { status, body } => write!(f, "HTTP status {status}: {body}"),
            RpcError::JsonRpc {
                code,
                message,
                data,
            } => {
                write!(f, "JSON-RPC error {code}: {message}")?;
                if let Some(data) = data {
                    write!(f, " ({data})")?;
                }
                Ok(())
            }
            RpcError::Decode(message) => write!(f, "cannot decode RPC answer: {message}"),
        }
    }
}

impl std::error::Error for RpcError {}
