//! The statements of [`Retention`](super::retention::Retention), the same text for both
//! engines (see [`super::directory_statements`] for why that works).

/// Implements `Retention` for `$database` (a type in the calling module), deleting on its
/// `$writer` pool and reading on its `$reader` pool; `$forget_words`, where the engine's search
/// index is apart from the rows (SQLite), takes the removed messages' words out of it first.
macro_rules! impl_retention {
    ($database:ident, writer: $writer:ident, reader: $reader:ident $(, forget_words: $forget_words:path)?) => {
        mod retention_statements {
            use futures_util::future::BoxFuture;

            use super::$database;
            use crate::store::error::StoreError;
            use crate::store::retention::Retention;

            impl Retention for $database {
                fn first_seq<'a>(
                    &'a self,
                    room: &'a str,
                ) -> BoxFuture<'a, Result<Option<i64>, StoreError>> {
                    Box::pin(async move {
                        Ok(sqlx::query_scalar("SELECT first_seq FROM rooms WHERE name = $1")
                            .bind(room)
                            .fetch_optional(&self.$reader)
                            .await?)
                    })
                }

                fn rooms_to_trim(
                    &self,
                    cutoff: i64,
                ) -> BoxFuture<'_, Result<Vec<(String, i64)>, StoreError>> {
                    // One primary-key lookup per room: cheap however long the histories.
                    Box::pin(async move {
                        Ok(sqlx::query_as(
                            "SELECT rooms.name, rooms.first_seq FROM rooms JOIN messages \
                             ON messages.room = rooms.name AND messages.seq = rooms.first_seq \
                             WHERE messages.sent_at < $1 ORDER BY rooms.name",
                        )
                        .bind(cutoff)
                        .fetch_all(&self.$reader)
                        .await?)
                    })
                }

                fn entries_from<'a>(
                    &'a self,
                    room: &'a str,
                    from: i64,
                    limit: i64,
                ) -> BoxFuture<'a, Result<Vec<(i64, i64)>, StoreError>> {
                    Box::pin(async move {
                        Ok(sqlx::query_as(
                            "SELECT seq, sent_at FROM messages \
                             WHERE room = $1 AND seq >= $2 ORDER BY seq LIMIT $3",
                        )
                        .bind(room)
                        .bind(from)
                        .bind(limit)
                        .fetch_all(&self.$reader)
                        .await?)
                    })
                }

                fn remove_entries<'a>(
                    &'a self,
                    room: &'a str,
                    from: i64,
                    through: i64,
                ) -> BoxFuture<'a, Result<u64, StoreError>> {
                    Box::pin(async move {
                        let mut transaction = self.$writer.begin().await?;
                        // The room's row first, then its messages: the order the committer
                        // locks them in (an edit of an old message updates its row), so
                        // the two never wait for each other in a circle on PostgreSQL.
                        sqlx::query(
                            "UPDATE rooms SET first_seq = $2 WHERE name = $1 AND first_seq < $2",
                        )
                        .bind(room)
                        .bind(through + 1)
                        .execute(&mut *transaction)
                        .await?;
                        $($forget_words(&mut transaction, room, from, through).await?;)?
                        let deleted = sqlx::query(
                            "DELETE FROM messages WHERE room = $1 AND seq >= $2 AND seq <= $3",
                        )
                        .bind(room)
                        .bind(from)
                        .bind(through)
                        .execute(&mut *transaction)
                        .await?
                        .rows_affected();
                        transaction.commit().await?;
                        Ok(deleted)
                    })
                }

                fn start_imported_room_at<'a>(
                    &'a self,
                    room: &'a str,
                    first_seq: i64,
                ) -> BoxFuture<'a, Result<(), StoreError>> {
                    Box::pin(async move {
                        sqlx::query(
                            "UPDATE rooms SET first_seq = $2, last_seq = $2 - 1 WHERE name = $1",
                        )
                        .bind(room)
                        .bind(first_seq)
                        .execute(&self.$writer)
                        .await?;
                        Ok(())
                    })
                }
            }
        }
    };
}

pub(crate) use impl_retention;
