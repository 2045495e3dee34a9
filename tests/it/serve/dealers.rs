//! Dealer offers end to end: `serve` with the dealer desk, a stand-in for the WhatsApp Cloud API
//! on 127.0.0.1 that records what it receives, and signed webhooks for the dealers' replies.

use super::{code, Server, TOKEN};
use axum::extract::State;
use axum::http::StatusCode as AxumStatus;
use omniroute_adapters::channel::read_contacts;
use omniroute_adapters::channel::whatsapp::{sign, CloudApi, CloudApiConfig, Template};
use omniroute_adapters::{Inputs, Source, TableInput};
use omniroute_server::{Config, Dealers, Desk, Service, WebhookSecrets};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const SECRET: &str = "app-secret-for-tests";
const VERIFY: &str = "verify-me";

const NODES: &str = "node_id,lat,lon,kind,whatsapp,acceptance_timeout_s
D1,19.11,72.85,dealer,+919800000011,
D2,19.15,72.85,dealer,+919800000012,
D3,19.12,72.85,dealer,+919800000013,1
W1,19.50,72.85,warehouse,,
";
const STOCK: &str = "node_id,sku,qty\nD1,TEE,5\nD2,TEE,5\nW1,TEE,5\nD3,CAP,5\nW1,CAP,5\n";

/// The stand-in Cloud API: records every message body; answers 500 to the first `fail` posts.
#[derive(Clone, Default)]
pub(super) struct StandIn {
    got: Arc<Mutex<Vec<Value>>>,
    fail: Arc<Mutex<u32>>,
}

async fn receive(State(s): State<StandIn>, body: axum::body::Bytes) -> (AxumStatus, String) {
    {
        let mut fail = s.fail.lock().unwrap();
        if *fail > 0 {
            *fail -= 1;
            return (AxumStatus::INTERNAL_SERVER_ERROR, "{}".into());
        }
    }
    s.got
        .lock()
        .unwrap()
        .push(serde_json::from_slice(&body).unwrap());
    (
        AxumStatus::OK,
        r#"{"messages": [{"id": "wamid.out"}]}"#.into(),
    )
}

impl StandIn {
    pub(super) async fn start(&self) -> String {
        let app = axum::Router::new()
            .route("/PHONE-ID/messages", axum::routing::post(receive))
            .with_state(self.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        base
    }

    pub(super) fn got(&self) -> Vec<Value> {
        self.got.lock().unwrap().clone()
    }
}

async fn start(cloud: &str) -> Server {
    // One refusal cools a dealer down for a day.
    start_with(cloud, NODES, STOCK, "[dealers]\ncool_down_after = 1\n").await
}

/// `serve` with the dealer desk over these nodes, stock and policy (file texts), sending to the
/// stand-in at `cloud`.
pub(super) async fn start_with(cloud: &str, nodes: &str, stock: &str, policy: &str) -> Server {
    let nodes = TableInput::from(Source::text("nodes.csv", nodes));
    let policy = Source::text("policy.toml", policy);
    let inputs = Inputs::load(
        &nodes,
        &Source::text("stock.csv", stock).into(),
        None,
        &[policy],
    )
    .unwrap();
    let parts = (
        Arc::clone(&inputs.network),
        inputs.skus.clone(),
        inputs.policies.clone(),
    );
    let service = Arc::new(Service::new(inputs, jiff::SignedDuration::from_secs(900)));
    let secrets = WebhookSecrets {
        app_secret: SECRET.into(),
        verify_token: VERIFY.into(),
    };
    let desk = Desk::new(
        Arc::clone(&service),
        parts,
        read_contacts(&nodes).unwrap(),
        secrets,
    );
    let channel = CloudApi::new(CloudApiConfig {
        base_url: cloud.into(),
        phone_number_id: "PHONE-ID".into(),
        access_token: "cloud-token".into(),
        template: Template::default(),
        attempts: 3,
        backoff: Duration::from_millis(10),
    });
    let mut config = Config::new(TOKEN);
    config.sweep_every = Duration::from_millis(100);
    config.dealers = Some(Dealers {
        desk: Arc::new(desk),
        channel: Arc::new(channel),
    });
    Server::serving(service, config).await
}

/// A button reply to `offer` from `from`, as Meta posts it.
pub(super) fn reply(wamid: &str, from: &str, offer: u64, action: &str) -> Vec<u8> {
    json!({"object": "whatsapp_business_account", "entry": [{"id": "WABA", "changes": [{
        "field": "messages", "value": {"messaging_product": "whatsapp", "messages": [{
            "from": from, "id": wamid, "timestamp": "1764900000", "type": "interactive",
            "interactive": {"type": "button_reply",
                "button_reply": {"id": format!("offer:{offer}:{action}"), "title": action}}}]}}]}]})
    .to_string()
    .into_bytes()
}

async fn post_webhook(
    server: &Server,
    body: Vec<u8>,
    signature: Option<String>,
) -> (StatusCode, Value) {
    let mut req = server
        .client
        .post(format!("{}/webhooks/whatsapp", server.base))
        .body(body);
    if let Some(s) = signature {
        req = req.header("X-Hub-Signature-256", s);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

pub(super) async fn signed(server: &Server, body: Vec<u8>) -> (StatusCode, Value) {
    let sig = sign(SECRET.as_bytes(), &body);
    post_webhook(server, body, Some(sig)).await
}

pub(super) fn offer_order(id: &str, sku: &str) -> Value {
    let mut o = super::order(id, 19.10, 72.85, &[(sku, 1)]);
    o["dest_area"] = json!("Andheri West 400053");
    o["customer"] = json!({"name": "Asha Rao", "phone": "+919800000001", "address": "12 MG Road"});
    o
}

pub(super) fn states(history: &Value) -> Vec<(String, String)> {
    history["offers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["node_id"].as_str().unwrap().to_owned(),
                o["state"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

pub(super) fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

/// Unsigned, wrongly signed, malformed, unknown-offer and wrong-sender webhooks are refused with
/// their codes and change nothing.
async fn refusals_change_nothing(
    server: &Server,
    cloud: &StandIn,
    body: &[u8],
    offer2: u64,
    history: &Value,
) {
    let (status, e) = post_webhook(server, body.to_vec(), None).await;
    assert_eq!((status, code(&e)), (StatusCode::UNAUTHORIZED, "E4033"));
    let wrong = sign(b"not the secret", body);
    let (status, e) = post_webhook(server, body.to_vec(), Some(wrong)).await;
    assert_eq!((status, code(&e)), (StatusCode::UNAUTHORIZED, "E4034"));
    let (status, e) = signed(server, b"{\"object\": ".to_vec()).await;
    assert_eq!((status, code(&e)), (StatusCode::BAD_REQUEST, "E4030"));
    let (status, e) = signed(server, reply("wamid.X", "919800000012", 999, "accept")).await;
    assert_eq!((status, code(&e)), (StatusCode::NOT_FOUND, "E4032"));
    let (status, e) = signed(server, reply("wamid.Y", "919800000011", offer2, "accept")).await;
    assert_eq!(
        (status, code(&e)),
        (StatusCode::FORBIDDEN, "E4036"),
        "D1 answering D2's offer"
    );
    let (_, after) = server.call(Method::GET, "/v1/offers/O1", None).await;
    assert_eq!(&after, history, "refused webhooks changed nothing");
    assert_eq!(cloud.got().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_offer_moves_to_the_next_dealer_and_an_accept_gets_the_customer() {
    let cloud = StandIn::default();
    // The first send fails twice with 500: the sender retries.
    *cloud.fail.lock().unwrap() = 2;
    let server = start(&cloud.start().await).await;

    let (status, placed) = server
        .call(Method::POST, "/v1/offers", Some(&offer_order("O1", "TEE")))
        .await;
    assert_eq!(status, StatusCode::OK, "{placed}");
    assert_eq!(placed["stage"], "offered");
    assert_eq!(states(&placed), pairs(&[("D1", "offered")]));
    let got = cloud.got();
    assert_eq!(got.len(), 1, "sent once, after two retries");
    assert_eq!(got[0]["to"], "+919800000011");
    assert_eq!(
        got[0]["type"], "template",
        "no message from D1 yet: the window is closed"
    );
    let offer1 = placed["offers"][0]["offer_id"].as_u64().unwrap();
    assert_eq!(
        got[0]["template"]["components"][1]["parameters"][0]["payload"],
        format!("offer:{offer1}:accept")
    );
    assert!(
        !got[0].to_string().contains("Asha"),
        "the offer never names the customer"
    );
    assert!(got[0].to_string().contains("Andheri West"));

    // D1 rejects: the order moves to D2, and D2 gets the next offer.
    let (status, answer) =
        signed(&server, reply("wamid.R1", "919800000011", offer1, "reject")).await;
    assert_eq!(
        (status, answer["applied"].as_u64()),
        (StatusCode::OK, Some(1)),
        "{answer}"
    );
    let got = cloud.got();
    assert_eq!(got.len(), 2);
    assert_eq!(got[1]["to"], "+919800000012");
    let (_, history) = server.call(Method::GET, "/v1/offers/O1", None).await;
    assert_eq!(
        states(&history),
        pairs(&[("D1", "rejected"), ("D2", "offered")])
    );
    let offer2 = history["offers"][1]["offer_id"].as_u64().unwrap();

    // The same delivery again is applied once.
    let (status, answer) =
        signed(&server, reply("wamid.R1", "919800000011", offer1, "reject")).await;
    assert_eq!(
        (status, answer["repeated"].as_u64()),
        (StatusCode::OK, Some(1))
    );

    let body = reply("wamid.A2", "919800000012", offer2, "accept");
    refusals_change_nothing(&server, &cloud, &body, offer2, &history).await;

    // D2 accepts: it, and only it, gets the customer.
    let (status, _) = signed(&server, body).await;
    assert_eq!(status, StatusCode::OK);
    let (_, history) = server.call(Method::GET, "/v1/offers/O1", None).await;
    assert_eq!(history["stage"], "accepted");
    assert_eq!(
        states(&history),
        pairs(&[("D1", "rejected"), ("D2", "accepted")])
    );
    assert!(
        !history.to_string().contains("Asha"),
        "the API never shows the customer"
    );
    // GET /v1/orders/{id} shows the same offer history.
    let (status, order) = server.call(Method::GET, "/v1/orders/O1", None).await;
    assert_eq!(status, StatusCode::OK, "{order}");
    assert_eq!(order["offers"], history);
    let got = cloud.got();
    assert_eq!(got.len(), 3);
    assert_eq!(got[2]["to"], "+919800000012");
    let text = got[2]["text"]["body"].as_str().unwrap();
    assert!(
        text.contains("Asha Rao") && text.contains("12 MG Road"),
        "{text}"
    );

    // D1 refused once, so it cools down: a new order near it goes to D2, and D1 gets nothing.
    let (_, placed) = server
        .call(Method::POST, "/v1/offers", Some(&offer_order("O3", "TEE")))
        .await;
    assert_eq!(states(&placed), pairs(&[("D2", "offered")]), "{placed}");
    let to: Vec<String> = cloud
        .got()
        .iter()
        .map(|m| m["to"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        to,
        [
            "+919800000011",
            "+919800000012",
            "+919800000012",
            "+919800000012"
        ]
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_offer_not_answered_in_time_moves_on() {
    let cloud = StandIn::default();
    let server = start(&cloud.start().await).await;
    // D3 has 1 s to answer; the server's clock times it out and the order moves to W1.
    let (_, placed) = server
        .call(Method::POST, "/v1/offers", Some(&offer_order("O2", "CAP")))
        .await;
    assert_eq!(states(&placed), pairs(&[("D3", "offered")]));
    let mut history = Value::Null;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        history = server.call(Method::GET, "/v1/offers/O2", None).await.1;
        if history["stage"] == "routed" {
            break;
        }
    }
    assert_eq!(history["stage"], "routed", "{history}");
    assert_eq!(states(&history), pairs(&[("D3", "timed_out")]));
    assert_eq!(
        history["decision"]["shipments"][0]["node_id"], "W1",
        "{history}"
    );
    assert_eq!(cloud.got().len(), 1, "W1 is not a dealer: no second offer");
    for (node, reserved) in [("D3", 0), ("W1", 1)] {
        let path = format!("/v1/stock?node_id={node}&sku=CAP");
        let (_, p) = server.call(Method::GET, &path, None).await;
        assert_eq!(p["reserved"], reserved, "{p}: D3's unit is free, W1's held");
    }
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_handshake_answers_the_challenge_for_the_verify_token() {
    let cloud = StandIn::default();
    let server = start(&cloud.start().await).await;
    let url = |token: &str| {
        format!("{}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token={token}&hub.challenge=1158201444", server.base)
    };
    let ok = server.client.get(url(VERIFY)).send().await.unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
    assert_eq!(ok.text().await.unwrap(), "1158201444");
    let bad = server.client.get(url("guess")).send().await.unwrap();
    assert_eq!(bad.status(), StatusCode::FORBIDDEN);
    let (status, _) = server
        .call_with(Method::POST, "/v1/offers", Some(&json!({})), None)
        .await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "/v1/offers needs the bearer token"
    );
    let mut bad_phone = offer_order("B1", "TEE");
    bad_phone["customer"]["phone"] = json!("call me");
    let (status, e) = server
        .call(Method::POST, "/v1/offers", Some(&bad_phone))
        .await;
    assert_eq!(
        (status, code(&e)),
        (StatusCode::UNPROCESSABLE_ENTITY, "E1050")
    );
    assert!(!e.to_string().contains("call me"), "{e}");
    let (status, answer) = declared_only(&server, "/webhooks/whatsapp", (1 << 20) + 1).await;
    assert_eq!(status, 413, "{answer}");
    assert!(answer.contains("\"E5003\""), "{answer}");
    server.stop().await;
}

/// The status and the whole answer to a POST to `path` that declares a body of `length` bytes
/// and sends none: a body over the limit is refused on its Content-Length, before it is read.
/// (Sending the body too races the server's close of the connection once it has answered: the
/// client then fails with a broken pipe instead of reading the answer.)
async fn declared_only(server: &Server, path: &str, length: usize) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = server.base.trim_start_matches("http://");
    let mut sock = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {length}\r\nConnection: close\r\n\r\n"
    );
    sock.write_all(head.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(
        std::time::Duration::from_secs(30),
        sock.read_to_end(&mut answer),
    );
    read.await.expect("an answer before the body").unwrap();
    let text = String::from_utf8_lossy(&answer).into_owned();
    let status = text.split(' ').nth(1).and_then(|c| c.parse().ok());
    (status.unwrap_or(0), text)
}
