//! The statements of [`InviteBook`](super::invites::InviteBook), the same text for both
//! engines (see [`super::directory_statements`] for why that works).

/// Implements `InviteBook` for `$database` (a type in the calling module), writing on its
/// `$writer` pool.
macro_rules! impl_invite_book {
    ($database:ident, writer: $writer:ident) => {
        mod invite_statements {
            use futures_util::future::BoxFuture;

            use super::$database;
            use crate::store::error::StoreError;
            use crate::store::invites::{InviteBook, InviteRow, NewInviteRow};

            /// An invite that may register someone at `$2`.
            const USABLE: &str = "code_hash = $1 AND NOT revoked AND expires_at > $2 \
                                  AND (max_uses IS NULL OR uses < max_uses)";

            impl InviteBook for $database {
                fn insert_invite<'a>(
                    &'a self,
                    row: &'a NewInviteRow<'a>,
                ) -> BoxFuture<'a, Result<i64, StoreError>> {
                    Box::pin(async move {
                        Ok(sqlx::query_scalar(
                            "INSERT INTO invites \
                             (code_hash, created_by, created_at, expires_at, max_uses) \
                             VALUES ($1, $2, $3, $4, $5) RETURNING id",
                        )
                        .bind(row.code_hash)
                        .bind(row.created_by)
                        .bind(row.created_at)
                        .bind(row.expires_at)
                        .bind(row.max_uses)
                        .fetch_one(&self.$writer)
                        .await?)
                    })
                }

                fn invite_usable<'a>(
                    &'a self,
                    code_hash: &'a [u8],
                    now: i64,
                ) -> BoxFuture<'a, Result<bool, StoreError>> {
                    Box::pin(async move {
                        let found: Option<i64> =
                            sqlx::query_scalar(&format!("SELECT id FROM invites WHERE {USABLE}"))
                                .bind(code_hash)
                                .bind(now)
                                .fetch_optional(&self.$writer)
                                .await?;
                        Ok(found.is_some())
                    })
                }

                fn use_invite<'a>(
                    &'a self,
                    code_hash: &'a [u8],
                    now: i64,
                ) -> BoxFuture<'a, Result<bool, StoreError>> {
                    Box::pin(async move {
                        let used =
                            sqlx::query(&format!("UPDATE invites SET uses = uses + 1 WHERE {USABLE}"))
                                .bind(code_hash)
                                .bind(now)
                                .execute(&self.$writer)
                                .await?;
                        Ok(used.rows_affected() == 1)
                    })
                }

                fn give_back_invite<'a>(
                    &'a self,
                    code_hash: &'a [u8],
                ) -> BoxFuture<'a, Result<(), StoreError>> {
                    Box::pin(async move {
                        sqlx::query(
                            "UPDATE invites SET uses = uses - 1 WHERE code_hash = $1 AND uses > 0",
                        )
                        .bind(code_hash)
                        .execute(&self.$writer)
                        .await?;
                        Ok(())
                    })
                }

                fn invites(&self, limit: i64) -> BoxFuture<'_, Result<Vec<InviteRow>, StoreError>> {
                    Box::pin(async move {
                        Ok(sqlx::query_as(
                            "SELECT id, created_by, created_at, expires_at, max_uses, uses, revoked \
                             FROM invites ORDER BY id DESC LIMIT $1",
                        )
                        .bind(limit)
                        .fetch_all(&self.$writer)
                        .await?)
                    })
                }

                fn revoke_invite(&self, id: i64) -> BoxFuture<'_, Result<bool, StoreError>> {
                    Box::pin(async move {
                        let revoked = sqlx::query("UPDATE invites SET revoked = TRUE WHERE id = $1")
                            .bind(id)
                            .execute(&self.$writer)
                            .await?;
                        Ok(revoked.rows_affected() == 1)
                    })
                }
            }
        }
    };
}

pub(crate) use impl_invite_book;
