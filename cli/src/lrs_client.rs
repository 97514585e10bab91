//! A small xAPI 1.0.3 client for a Learning Record Store: POST statements, GET pages.
//!
//! The endpoint is the LRS's xAPI root (`http://HOST:PORT/xAPI/`); resources are relative to
//! it. Every request sends `X-Experience-API-Version: 1.0.3` and HTTP Basic credentials.

use std::time::Duration;

use kru_core::xapi::XAPI_VERSION;

/// The most bytes read from one answer of the LRS.
const MAX_ANSWER_BYTES: u64 = 64 << 20;

/// What went wrong talking to the LRS.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LrsError {
    /// The LRS URL is not usable.
    #[error("'{0}' is not an http(s) URL of an LRS endpoint (e.g. http://127.0.0.1:8100/xAPI/)")]
    BadUrl(String),
    /// No connection (refused, host not found, network down).
    #[error("the LRS at {url} cannot be reached: {reason}")]
    Unreachable {
        /// The URL.
        url: String,
        /// Why.
        reason: String,
    },
    /// No answer in time.
    #[error("the LRS at {url} did not answer within {secs} s")]
    Timeout {
        /// The URL.
        url: String,
        /// The timeout.
        secs: u64,
    },
    /// 401 or 403: the credentials are wrong or lack a scope.
    #[error("the LRS refused the credentials: HTTP {status} {body}")]
    Auth {
        /// HTTP status.
        status: u16,
        /// The LRS's answer (shortened).
        body: String,
    },
    /// 409: a statement id of the batch is already stored.
    #[error("the LRS already holds a statement of the batch: HTTP 409 {0}")]
    Conflict(String),
    /// Another 4xx: the LRS refused the content.
    #[error("the LRS refused the statements: HTTP {status} {body}")]
    Refused {
        /// HTTP status.
        status: u16,
        /// The LRS's answer (shortened).
        body: String,
    },
    /// 5xx: the LRS failed.
    #[error("the LRS failed: HTTP {status} {body}")]
    Server {
        /// HTTP status.
        status: u16,
        /// The LRS's answer (shortened).
        body: String,
    },
    /// A success status with an answer that is not what xAPI says it is.
    #[error("the LRS answered HTTP {status} but not as xAPI says: {detail}")]
    BadAnswer {
        /// HTTP status.
        status: u16,
        /// What is wrong, with the start of the answer.
        detail: String,
    },
}

impl LrsError {
    /// Whether trying again later may help (the LRS is down, slow or failing).
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            LrsError::Unreachable { .. } | LrsError::Timeout { .. } | LrsError::Server { .. }
        )
    }
}

/// The start of an answer, on one line, for error messages.
pub fn excerpt(body: &str) -> String {
    let one_line: String = body
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(200)
        .collect();
    let t = one_line.trim();
    if body.chars().count() > 200 {
        format!("{t}…")
    } else {
        t.to_owned()
    }
}

/// A connection to one LRS.
pub struct LrsClient {
    agent: ureq::Agent,
    endpoint: String,
    origin: String,
    authorization: String,
    timeout: Duration,
}

fn base64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(T[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

impl LrsClient {
    /// A client of the LRS endpoint `url` (a trailing `/` is added when missing).
    pub fn new(url: &str, user: &str, password: &str, timeout: Duration) -> Result<Self, LrsError> {
        let scheme_end = if url.starts_with("https://") {
            8
        } else if url.starts_with("http://") {
            7
        } else {
            return Err(LrsError::BadUrl(url.to_owned()));
        };
        let host_end = url[scheme_end..]
            .find('/')
            .map_or(url.len(), |i| scheme_end + i);
        if host_end == scheme_end || url.contains(char::is_whitespace) {
            return Err(LrsError::BadUrl(url.to_owned()));
        }
        let mut endpoint = url.to_owned();
        if !endpoint.ends_with('/') {
            endpoint.push('/');
        }
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(timeout))
            .max_redirects(0)
            .build()
            .into();
        Ok(Self {
            agent,
            origin: url[..host_end].to_owned(),
            endpoint,
            authorization: format!("Basic {}", base64(format!("{user}:{password}").as_bytes())),
            timeout,
        })
    }

    /// The endpoint, with its trailing `/`.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    fn transport(&self, url: &str, e: ureq::Error) -> LrsError {
        match e {
            ureq::Error::Timeout(_) => LrsError::Timeout {
                url: url.to_owned(),
                secs: self.timeout.as_secs().max(1),
            },
            ureq::Error::Io(ref io) if io.kind() == std::io::ErrorKind::TimedOut => {
                LrsError::Timeout {
                    url: url.to_owned(),
                    secs: self.timeout.as_secs().max(1),
                }
            }
            other => LrsError::Unreachable {
                url: url.to_owned(),
                reason: other.to_string(),
            },
        }
    }

    fn answer(
        &self,
        url: &str,
        result: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> Result<(u16, String), LrsError> {
        let mut resp = result.map_err(|e| self.transport(url, e))?;
        let status = resp.status().as_u16();
        let body = resp
            .body_mut()
            .with_config()
            .limit(MAX_ANSWER_BYTES)
            .read_to_string()
            .map_err(|e| match e {
                ureq::Error::BodyExceedsLimit(_) => LrsError::BadAnswer {
                    status,
                    detail: e.to_string(),
                },
                other => self.transport(url, other),
            })?;
        match status {
            200..=299 => Ok((status, body)),
            401 | 403 => Err(LrsError::Auth {
                status,
                body: excerpt(&body),
            }),
            409 => Err(LrsError::Conflict(excerpt(&body))),
            400..=499 => Err(LrsError::Refused {
                status,
                body: excerpt(&body),
            }),
            _ => Err(LrsError::Server {
                status,
                body: excerpt(&body),
            }),
        }
    }

    /// POSTs a JSON array of statements; returns the ids the LRS stored now. An LRS may leave
    /// out statements it already holds unchanged (ralph does) or answer 204 No Content when it
    /// holds them all; an id it names that was not sent is an error.
    pub fn post_statements(&self, json: &str, ids: &[String]) -> Result<Vec<String>, LrsError> {
        let url = format!("{}statements", self.endpoint);
        let result = self
            .agent
            .post(&url)
            .header("Authorization", &self.authorization)
            .header("X-Experience-API-Version", XAPI_VERSION)
            .header("Content-Type", "application/json")
            .send(json.as_bytes());
        let (status, body) = self.answer(&url, result)?;
        if status == 204 {
            return Ok(Vec::new());
        }
        let stored: Vec<String> = serde_json::from_str(&body).map_err(|_| LrsError::BadAnswer {
            status,
            detail: format!(
                "expected a JSON list of statement ids, got: {}",
                excerpt(&body)
            ),
        })?;
        let sent: std::collections::HashSet<&str> = ids.iter().map(String::as_str).collect();
        if let Some(stranger) = stored.iter().find(|id| !sent.contains(id.as_str())) {
            return Err(LrsError::BadAnswer {
                status,
                detail: format!("it acknowledged statement id {stranger:?}, which was not sent"),
            });
        }
        Ok(stored)
    }

    /// GETs a page of statements: `query` is appended to the statements resource
    /// (`limit=500`), or `more` is the LRS's `more` link (relative to its origin, or absolute
    /// on the same origin).
    pub fn get_statements(&self, query: &str, more: Option<&str>) -> Result<String, LrsError> {
        let url = match more {
            Some(m) if m.starts_with('/') => format!("{}{m}", self.origin),
            Some(m) if m.starts_with(&self.origin) => m.to_owned(),
            Some(m) => {
                return Err(LrsError::BadAnswer {
                    status: 200,
                    detail: format!("its 'more' link {m:?} leaves the LRS"),
                })
            }
            None => format!("{}statements?{query}", self.endpoint),
        };
        let result = self
            .agent
            .get(&url)
            .header("Authorization", &self.authorization)
            .header("X-Experience-API-Version", XAPI_VERSION)
            .call();
        self.answer(&url, result).map(|(_, body)| body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_auth_is_base64() {
        assert_eq!(
            base64(b"Aladdin:open sesame"),
            "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
        assert_eq!(base64(b"a"), "YQ==");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b"abc"), "YWJj");
    }

    #[test]
    fn urls_are_checked() {
        let t = Duration::from_secs(1);
        assert!(LrsClient::new("ftp://x/", "u", "p", t).is_err());
        assert!(LrsClient::new("http:///xAPI", "u", "p", t).is_err());
        let c = LrsClient::new("http://127.0.0.1:1/xAPI", "u", "p", t).unwrap();
        assert_eq!(c.endpoint(), "http://127.0.0.1:1/xAPI/");
        assert_eq!(c.origin, "http://127.0.0.1:1");
    }
}
