//! The statements of [`History`](super::history::History), the same text for both engines (see
//! [`super::directory_statements`] for why that works).

/// Implements `History` for `$database` (a type in the calling module), reading on its
/// `$reader` pool.
macro_rules! impl_history {
    ($database:ident, reader: $reader:ident) => {
        mod history_statements {
            use futures_util::future::BoxFuture;

            use super::$database;
            use crate::store::error::StoreError;
            use crate::store::history::History;
            use crate::store::rows::{MessageRow, message_columns};

            impl History for $database {
                fn latest_before<'a>(
                    &'a self,
                    room: &'a str,
                    below: i64,
                    limit: i64,
                ) -> BoxFuture<'a, Result<Vec<MessageRow>, StoreError>> {
                    Box::pin(async move {
                        Ok(sqlx::query_as(concat!(
                            "SELECT ",
                            message_columns!(),
                            " FROM messages WHERE room = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3"
                        ))
                        .bind(room)
                        .bind(below)
                        .bind(limit)
                        .fetch_all(&self.$reader)
                        .await?)
                    })
                }

                fn earliest_after<'a>(
                    &'a self,
                    room: &'a str,
                    above: i64,
                    limit: i64,
                ) -> BoxFuture<'a, Result<Vec<MessageRow>, StoreError>> {
                    Box::pin(async move {
                        Ok(sqlx::query_as(concat!(
                            "SELECT ",
                            message_columns!(),
                            " FROM messages WHERE room = $1 AND seq > $2 ORDER BY seq ASC LIMIT $3"
                        ))
                        .bind(room)
                        .bind(above)
                        .bind(limit)
                        .fetch_all(&self.$reader)
                        .await?)
                    })
                }

                fn message_at<'a>(
                    &'a self,
                    room: &'a str,
                    seq: i64,
                ) -> BoxFuture<'a, Result<Option<MessageRow>, StoreError>> {
                    Box::pin(async move {
                        Ok(sqlx::query_as(concat!(
                            "SELECT ",
                            message_columns!(),
                            " FROM messages WHERE room = $1 AND seq = $2"
                        ))
                        .bind(room)
                        .bind(seq)
                        .fetch_optional(&self.$reader)
                        .await?)
                    })
                }

                // Through the index of when entries were sent (migration `messages_by_time`).
                fn first_message_since<'a>(
                    &'a self,
                    room: &'a str,
                    at: i64,
                ) -> BoxFuture<'a, Result<Option<i64>, StoreError>> {
                    Box::pin(async move {
                        Ok(sqlx::query_scalar(
                            "SELECT seq FROM messages WHERE room = $1 AND sent_at >= $2 \
                             AND deletes IS NULL AND edits IS NULL AND reacts IS NULL \
                             ORDER BY sent_at, seq LIMIT 1",
                        )
                        .bind(room)
                        .bind(at)
                        .fetch_optional(&self.$reader)
                        .await?)
                    })
                }

                fn last_seq<'a>(
                    &'a self,
                    room: &'a str,
                ) -> BoxFuture<'a, Result<Option<i64>, StoreError>> {
                    Box::pin(async move {
                        Ok(sqlx::query_scalar("SELECT last_seq FROM rooms WHERE name = $1")
                            .bind(room)
                            .fetch_optional(&self.$reader)
                            .await?)
                    })
                }

                fn ping(&self) -> BoxFuture<'_, Result<(), StoreError>> {
                    Box::pin(async move {
                        sqlx::query("SELECT 1").execute(&self.$reader).await?;
                        Ok(())
                    })
                }
            }
        }
    };
}

pub(crate) use impl_history;
