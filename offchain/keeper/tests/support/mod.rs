//! A scripted Stellar RPC server on 127.0.0.1 for the tests: it answers each request with the
//! next scripted reply, checks the method, and records every request body.

#![allow(dead_code)] // each test binary uses a different part of the support code

pub mod fixtures;

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use serde_json::{json, Value};

/// A dynamic reply, computed from the request params.
pub type ReplyFn = Box<dyn FnOnce(&Value) -> Reply + Send>;

/// What the server does with one request.
pub enum Reply {
    /// Answer with this `result`.
    Result(Value),
    /// Answer with a JSON-RPC error object.
    Error(i64, &'static str),
    /// Answer with this HTTP status and body.
    Http(u16, &'static str),
    /// Close the connection without answering (a transport failure).
    Drop,
    /// Compute the reply from the request params (and assert on them).
    With(ReplyFn),
}

struct Step {
    method: &'static str,
    reply: Reply,
}

/// A running mock server.
pub struct MockRpc {
    url: String,
    script: Arc<Mutex<VecDeque<Step>>>,
    requests: Arc<Mutex<Vec<Value>>>,
    failures: Arc<Mutex<Vec<String>>>,
}

impl MockRpc {
    /// Starts a server answering `steps` (method, reply) in order.
    pub fn start(steps: Vec<(&'static str, Reply)>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let script: VecDeque<Step> = steps
            .into_iter()
            .map(|(method, reply)| Step { method, reply })
            .collect();
        let mock = MockRpc {
            url,
            script: Arc::new(Mutex::new(script)),
            requests: Arc::default(),
            failures: Arc::default(),
        };
        let (script, requests, failures) = (
            mock.script.clone(),
            mock.requests.clone(),
            mock.failures.clone(),
        );
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                serve(stream, &script, &requests, &failures);
            }
        });
        mock
    }

    /// The server's URL.
    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// The request bodies received so far.
    pub fn requests(&self) -> Vec<Value> {
        self.requests.lock().unwrap().clone()
    }

    /// The `params` of the requests received so far.
    pub fn params(&self) -> Vec<Value> {
        self.requests()
            .into_iter()
            .map(|r| r.get("params").cloned().unwrap_or(Value::Null))
            .collect()
    }

    /// Asserts that every scripted step was used and no request was unexpected.
    pub fn finish(&self) {
        let failures = self.failures.lock().unwrap();
        assert!(failures.is_empty(), "mock RPC failures: {failures:?}");
        let left: Vec<_> = self
            .script
            .lock()
            .unwrap()
            .iter()
            .map(|s| s.method)
            .collect();
        assert!(left.is_empty(), "scripted steps never requested: {left:?}");
    }
}

fn serve(
    mut stream: TcpStream,
    script: &Mutex<VecDeque<Step>>,
    requests: &Mutex<Vec<Value>>,
    failures: &Mutex<Vec<String>>,
) {
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok();
    let Some(body) = read_request(&stream) else {
        return;
    };
    let request: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    requests.lock().unwrap().push(request.clone());
    assert_envelope(&request, failures);
    let method = request["method"].as_str().unwrap_or_default().to_owned();
    let step = script.lock().unwrap().pop_front();
    let reply = match step {
        Some(step) if step.method == method => step.reply,
        Some(step) => {
            failures
                .lock()
                .unwrap()
                .push(format!("expected {}, got {method}", step.method));
            Reply::Error(-32601, "unexpected method")
        }
        None => {
            failures
                .lock()
                .unwrap()
                .push(format!("unscripted {method}"));
            Reply::Error(-32601, "unscripted request")
        }
    };
    respond(&mut stream, &request, reply);
}

/// Checks the JSON-RPC 2.0 envelope of a request.
fn assert_envelope(request: &Value, failures: &Mutex<Vec<String>>) {
    if request["jsonrpc"] != "2.0" || !request["id"].is_u64() || !request["method"].is_string() {
        failures
            .lock()
            .unwrap()
            .push(format!("not a JSON-RPC 2.0 request: {request}"));
    }
}

fn respond(stream: &mut TcpStream, request: &Value, reply: Reply) {
    let params = request.get("params").cloned().unwrap_or(Value::Null);
    let reply = match reply {
        Reply::With(f) => f(&params),
        other => other,
    };
    let id = request["id"].clone();
    let (status, body) = match reply {
        Reply::Result(result) => (
            200,
            json!({"jsonrpc": "2.0", "id": id, "result": result}).to_string(),
        ),
        Reply::Error(code, message) => (
            200,
            json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
                .to_string(),
        ),
        Reply::Http(status, body) => (status, body.to_owned()),
        Reply::Drop | Reply::With(_) => return,
    };
    let head = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).ok();
    stream.write_all(body.as_bytes()).ok();
    stream.flush().ok();
}

/// Reads one HTTP/1.1 request and returns its body.
fn read_request(stream: &TcpStream) -> Option<String> {
    let mut reader = BufReader::new(stream);
    let mut content_length = 0;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                content_length = value.trim().parse().ok()?;
            }
        }
    }
    let mut body = vec![0; content_length];
    reader.read_exact(&mut body).ok()?;
    String::from_utf8(body).ok()
}
