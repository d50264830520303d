//! The statements of [`RoomModeration`](super::room_moderation::RoomModeration), the same
//! text for both engines (see [`super::directory_statements`] for why that works).

/// Implements `RoomModeration` for `$database` (a type in the calling module), writing on its
/// `$writer` pool.
macro_rules! impl_room_moderation {
    ($database:ident, writer: $writer:ident) => {
        mod room_moderation_statements {
            use futures_util::future::BoxFuture;

            use super::$database;
            use crate::store::error::StoreError;
            use crate::store::room_moderation::{MuteRow, NewMuteRow, RoomModeration};

            impl RoomModeration for $database {
                fn set_room_role<'a>(
                    &'a self,
                    room: &'a str,
                    account: i64,
                    role: &'a str,
                    now: i64,
                ) -> BoxFuture<'a, Result<(), StoreError>> {
                    Box::pin(async move {
                        sqlx::query(
                            "INSERT INTO room_members (room, account_id, role, added_at) \
                             VALUES ($1, $2, $3, $4) \
                             ON CONFLICT (room, account_id) DO UPDATE SET role = $3",
                        )
                        .bind(room)
                        .bind(account)
                        .bind(role)
                        .bind(now)
                        .execute(&self.$writer)
                        .await?;
                        Ok(())
                    })
                }

                fn drop_room_role<'a>(
                    &'a self,
                    room: &'a str,
                    account: i64,
                ) -> BoxFuture<'a, Result<bool, StoreError>> {
                    Box::pin(async move {
                        let dropped = sqlx::query(
                            "DELETE FROM room_members WHERE room = $1 AND account_id = $2",
                        )
                        .bind(room)
                        .bind(account)
                        .execute(&self.$writer)
                        .await?;
                        Ok(dropped.rows_affected() == 1)
                    })
                }

                fn set_mute<'a>(
                    &'a self,
                    mute: &'a NewMuteRow<'a>,
                ) -> BoxFuture<'a, Result<(), StoreError>> {
                    Box::pin(async move {
                        sqlx::query(
                            "INSERT INTO room_mutes (room, nickname_key, until, reason, muted_at) \
                             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (room, nickname_key) \
                             DO UPDATE SET until = $3, reason = $4, muted_at = $5",
                        )
                        .bind(mute.room)
                        .bind(mute.nickname_key)
                        .bind(mute.until)
                        .bind(mute.reason)
                        .bind(mute.muted_at)
                        .execute(&self.$writer)
                        .await?;
                        Ok(())
                    })
                }

                fn lift_mute<'a>(
                    &'a self,
                    room: &'a str,
                    nickname_key: &'a str,
                ) -> BoxFuture<'a, Result<bool, StoreError>> {
                    Box::pin(async move {
                        let lifted = sqlx::query(
                            "DELETE FROM room_mutes WHERE room = $1 AND nickname_key = $2",
                        )
                        .bind(room)
                        .bind(nickname_key)
                        .execute(&self.$writer)
                        .await?;
                        Ok(lifted.rows_affected() == 1)
                    })
                }

                fn mutes(&self, now: i64) -> BoxFuture<'_, Result<Vec<MuteRow>, StoreError>> {
                    Box::pin(async move {
                        Ok(sqlx::query_as(
                            "SELECT room, nickname_key, until FROM room_mutes WHERE until > $1",
                        )
                        .bind(now)
                        .fetch_all(&self.$writer)
                        .await?)
                    })
                }
            }
        }
    };
}

pub(crate) use impl_room_moderation;
