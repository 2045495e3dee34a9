//! [`CloudApi`]: the WhatsApp Cloud API sender, with retries.
//!
//! Messages are posted to `{base_url}/{phone_number_id}/messages` with the bearer token. A 5xx,
//! a 429 or a failed connection is retried after 200 ms, 400 ms, 800 ms… (at most
//! `attempts` tries); another 4xx is refused at once. The token is never logged (`Debug` hides
//! it). The 24-hour window: a dealer who wrote within 24 hours ([`CloudApi::note_inbound`]) gets
//! an interactive offer, any other the approved template.

use super::super::{Channel, ChannelError, Message};
use super::{customer_body, offer_body, Template};
use jiff::{SignedDuration, Timestamp};
use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;
use std::time::Duration;

/// The real Graph API.
pub const DEFAULT_BASE_URL: &str = "https://graph.facebook.com/v21.0";

/// How to reach the Cloud API.
#[derive(Clone)]
pub struct CloudApiConfig {
    /// `https://graph.facebook.com/v21.0`, or a stand-in's URL.
    pub base_url: String,
    /// The sending number's id (`WHATSAPP_PHONE_NUMBER_ID`).
    pub phone_number_id: String,
    /// The bearer token (`WHATSAPP_ACCESS_TOKEN`).
    pub access_token: String,
    /// The template for closed windows.
    pub template: Template,
    /// Tries per message (at least 1).
    pub attempts: u32,
    /// The first retry's wait; each next one doubles.
    pub backoff: Duration,
}

impl fmt::Debug for CloudApiConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CloudApiConfig")
            .field("base_url", &self.base_url)
            .field("phone_number_id", &self.phone_number_id)
            .field("access_token", &"<hidden>")
            .field("template", &self.template)
            .field("attempts", &self.attempts)
            .field("backoff", &self.backoff)
            .finish()
    }
}

impl CloudApiConfig {
    /// The config from `WHATSAPP_ACCESS_TOKEN` and `WHATSAPP_PHONE_NUMBER_ID`, sending to
    /// `base_url`, 4 attempts from 200 ms.
    pub fn from_env(base_url: &str) -> Result<Self, ChannelError> {
        let var = |name: &'static str| {
            std::env::var(name)
                .ok()
                .filter(|v| !v.is_empty())
                .ok_or(ChannelError::NotConfigured(name))
        };
        Ok(Self {
            base_url: base_url.trim_end_matches('/').to_owned(),
            phone_number_id: var(super::PHONE_NUMBER_ID_VAR)?,
            access_token: var(super::ACCESS_TOKEN_VAR)?,
            template: Template::default(),
            attempts: 4,
            backoff: Duration::from_millis(200),
        })
    }
}

/// The Cloud API as a [`Channel`].
#[derive(Debug)]
pub struct CloudApi {
    config: CloudApiConfig,
    http: reqwest::Client,
    /// When each number last wrote to us.
    inbound: Mutex<HashMap<String, Timestamp>>,
}

impl CloudApi {
    /// A sender with `config`.
    pub fn new(config: CloudApiConfig) -> Self {
        Self {
            config,
            http: reqwest::Client::new(),
            inbound: Mutex::new(HashMap::new()),
        }
    }

    /// Records that `number` (digits, with or without `+`) wrote at `at`: its 24-hour window is
    /// open until `at` + 24 h.
    pub fn note_inbound(&self, number: &str, at: Timestamp) {
        let key = number.trim_start_matches('+').to_owned();
        self.inbound.lock().expect("not poisoned").insert(key, at);
    }

    fn window_open(&self, number: &str, now: Timestamp) -> bool {
        let key = number.trim_start_matches('+');
        self.inbound
            .lock()
            .expect("not poisoned")
            .get(key)
            .is_some_and(|&at| {
                now < at
                    .saturating_add(SignedDuration::from_hours(24))
                    .expect("a duration")
            })
    }

    async fn post(&self, body: &serde_json::Value) -> Result<(), ChannelError> {
        let url = format!(
            "{}/{}/messages",
            self.config.base_url, self.config.phone_number_id
        );
        let attempts = self.config.attempts.max(1);
        let mut wait = self.config.backoff;
        let mut last = String::new();
        for attempt in 1..=attempts {
            let sent = self
                .http
                .post(&url)
                .bearer_auth(&self.config.access_token)
                .json(body)
                .send()
                .await;
            match sent {
                Ok(r) if r.status().is_success() => return Ok(()),
                Ok(r) if r.status().as_u16() == 429 || r.status().is_server_error() => {
                    last = format!("HTTP {}", r.status().as_u16());
                }
                Ok(r) => {
                    let status = r.status().as_u16();
                    let text = r.text().await.unwrap_or_default();
                    return Err(ChannelError::Refused {
                        status,
                        body: text.chars().take(200).collect(),
                    });
                }
                Err(e) => last = e.without_url().to_string(),
            }
            if attempt < attempts {
                tokio::time::sleep(wait).await;
                wait *= 2;
            }
        }
        Err(ChannelError::Unavailable { attempts, last })
    }
}

impl Channel for CloudApi {
    async fn send(&self, to: &str, message: &Message) -> Result<(), ChannelError> {
        let body = match message {
            Message::Offer(m) => offer_body(
                to,
                m,
                self.window_open(to, Timestamp::now()),
                &self.config.template,
            ),
            Message::Customer {
                order_id, customer, ..
            } => customer_body(to, order_id, customer),
        };
        self.post(&body).await
    }
}
