//! The statements of [`GuestBanBook`](super::guest_bans::GuestBanBook), the same text for
//! both engines (see [`super::directory_statements`] for why that works).

/// Implements `GuestBanBook` for `$database` (a type in the calling module), writing on its
/// `$writer` pool.
macro_rules! impl_guest_ban_book {
    ($database:ident, writer: $writer:ident) => {
        mod guest_ban_statements {
            use futures_util::future::BoxFuture;

            use super::$database;
            use crate::store::error::StoreError;
            use crate::store::guest_bans::{GuestBanBook, GuestBanRow, NewGuestBanRow};

            impl GuestBanBook for $database {
                fn insert_guest_ban<'a>(
                    &'a self,
                    row: &'a NewGuestBanRow<'a>,
                ) -> BoxFuture<'a, Result<(), StoreError>> {
                    Box::pin(async move {
                        sqlx::query(
                            "INSERT INTO guest_bans \
                             (nickname_key, address, until, reason, banned_by, banned_at, nickname) \
                             VALUES ($1, $2, $3, $4, $5, $6, $7)",
                        )
                        .bind(row.nickname_key)
                        .bind(row.address)
                        .bind(row.until)
                        .bind(row.reason)
                        .bind(row.banned_by)
                        .bind(row.banned_at)
                        .bind(row.nickname)
                        .execute(&self.$writer)
                        .await?;
                        Ok(())
                    })
                }

                fn guest_ban<'a>(
                    &'a self,
                    nickname_key: &'a str,
                    address: &'a str,
                    now: i64,
                ) -> BoxFuture<'a, Result<Option<(String, i64)>, StoreError>> {
                    Box::pin(async move {
                        Ok(sqlx::query_as(
                            "SELECT reason, until FROM guest_bans WHERE until > $3 \
                             AND ((nickname_key = $1 AND address IS NULL) OR address = $2) \
                             ORDER BY until DESC LIMIT 1",
                        )
                        .bind(nickname_key)
                        .bind(address)
                        .bind(now)
                        .fetch_optional(&self.$writer)
                        .await?)
                    })
                }

                fn guest_bans(
                    &self,
                    now: i64,
                ) -> BoxFuture<'_, Result<Vec<GuestBanRow>, StoreError>> {
                    Box::pin(async move {
                        Ok(sqlx::query_as(
                            "SELECT name.nickname, name.until, name.reason, name.banned_by, \
                             name.banned_at, (SELECT COUNT(*) FROM guest_bans AS address \
                              WHERE address.nickname_key = name.nickname_key \
                              AND address.address IS NOT NULL) \
                             FROM guest_bans AS name WHERE name.address IS NULL AND name.until > $1 \
                             ORDER BY name.banned_at DESC LIMIT 500",
                        )
                        .bind(now)
                        .fetch_all(&self.$writer)
                        .await?)
                    })
                }

                fn lift_guest_ban<'a>(
                    &'a self,
                    nickname_key: &'a str,
                ) -> BoxFuture<'a, Result<bool, StoreError>> {
                    Box::pin(async move {
                        let lifted = sqlx::query("DELETE FROM guest_bans WHERE nickname_key = $1")
                            .bind(nickname_key)
                            .execute(&self.$writer)
                            .await?;
                        Ok(lifted.rows_affected() > 0)
                    })
                }
            }
        }
    };
}

pub(crate) use impl_guest_ban_book;
