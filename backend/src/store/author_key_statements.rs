//! The statements of [`AuthorKeys`](super::author_keys::AuthorKeys), the same text for both
//! engines (see [`super::directory_statements`] for why that works).

/// Implements `AuthorKeys` for `$database` (a type in the calling module), writing on its
/// `$writer` pool and reading on its `$reader` pool.
macro_rules! impl_author_keys {
    ($database:ident, writer: $writer:ident, reader: $reader:ident) => {
        mod author_key_statements {
            use futures_util::future::BoxFuture;

            use super::$database;
            use crate::store::author_keys::AuthorKeys;
            use crate::store::error::StoreError;

            impl AuthorKeys for $database {
                // Through the partial index `messages_without_author_key`: nothing to read
                // once every entry has its key.
                fn authors_without_key(
                    &self,
                    limit: i64,
                ) -> BoxFuture<'_, Result<Vec<String>, StoreError>> {
                    Box::pin(async move {
                        Ok(sqlx::query_scalar(
                            "SELECT DISTINCT author FROM messages WHERE author_key IS NULL \
                             LIMIT $1",
                        )
                        .bind(limit)
                        .fetch_all(&self.$reader)
                        .await?)
                    })
                }

                fn set_author_key<'a>(
                    &'a self,
                    author: &'a str,
                    key: &'a str,
                ) -> BoxFuture<'a, Result<u64, StoreError>> {
                    Box::pin(async move {
                        let set = sqlx::query(
                            "UPDATE messages SET author_key = $2 \
                             WHERE author = $1 AND author_key IS NULL",
                        )
                        .bind(author)
                        .bind(key)
                        .execute(&self.$writer)
                        .await?;
                        Ok(set.rows_affected())
                    })
                }
            }
        }
    };
}

pub(crate) use impl_author_keys;
