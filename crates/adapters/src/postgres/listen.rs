//! Following the other processes' changes: `LISTEN omniroute_stock` on a connection of its own.

use super::{DbError, CHANNEL};
use tokio::sync::mpsc;
use tokio_postgres::{AsyncMessage, Client, NoTls};

/// A connection listening on [`CHANNEL`]: each notification arrives as one `()` on the
/// receiver, which closes when the connection is lost (then reconnect, and re-read the changes
/// since the last one seen: none is lost, as the change log keeps them). Keep the client alive
/// as long as you listen.
pub async fn listen(url: &str) -> Result<(Client, mpsc::UnboundedReceiver<()>), DbError> {
    let (client, mut connection) =
        tokio_postgres::connect(url, NoTls)
            .await
            .map_err(|e| DbError::Connect {
                message: e.to_string(),
            })?;
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        loop {
            let message = std::future::poll_fn(|cx| connection.poll_message(cx)).await;
            match message {
                Some(Ok(AsyncMessage::Notification(_))) => {
                    if tx.send(()).is_err() {
                        break;
                    }
                }
                Some(Ok(_)) => {}
                Some(Err(_)) | None => break,
            }
        }
    });
    client.batch_execute(&format!("LISTEN {CHANNEL}")).await?;
    Ok((client, rx))
}
