//! `omniroute serve --dealers`: the dealer desk and its WhatsApp channel, from the environment.

use super::serve::Args;
use crate::failure::Failure;
use omniroute_adapters::channel::read_contacts;
use omniroute_adapters::channel::whatsapp::{
    CloudApi, CloudApiConfig, APP_SECRET_VAR, VERIFY_TOKEN_VAR,
};
use omniroute_adapters::{Policies, TableInput};
use omniroute_core::codes::ChannelCode;
use omniroute_core::{Network, Skus};
use omniroute_server::{Dealers, Desk, Service, WebhookSecrets};
use std::sync::Arc;

fn secret(name: &'static str) -> anyhow::Result<String> {
    std::env::var(name)
        .ok()
        .filter(|v| !v.trim().is_empty())
        .ok_or_else(|| {
            Failure::new(
                ChannelCode::NotConfigured.id(),
                format!("{name} is not set"),
                format!("export {name} (see docs/errors.md#e4023)"),
            )
            .into()
        })
}

/// The desk over `service`, its channel configured from the environment.
pub(super) fn dealers(
    args: &Args,
    service: &Arc<Service>,
    parts: (Arc<Network>, Skus, Policies),
) -> anyhow::Result<Dealers> {
    let config = CloudApiConfig::from_env(&args.whatsapp_base_url)
        .map_err(|e| Failure::new(e.code(), e.to_string(), ChannelCode::NotConfigured.hint()))?;
    let secrets = WebhookSecrets {
        app_secret: secret(APP_SECRET_VAR)?,
        verify_token: secret(VERIFY_TOKEN_VAR)?,
    };
    let contacts = read_contacts(&TableInput::open(&args.files.nodes)?)?;
    Ok(Dealers {
        desk: Arc::new(Desk::new(Arc::clone(service), parts, contacts, secrets)),
        channel: Arc::new(CloudApi::new(config)),
    })
}
