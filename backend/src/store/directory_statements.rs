//! The directory's statements, the same text for both engines: SQLite reads PostgreSQL's `$1`
//! placeholders as numbered parameters (sqlx binds `$NNN` by number), and both know
//! `RETURNING`, `ON CONFLICT`, `TRUE` and `FALSE`. Only the connection a statement runs on
//! differs, so one macro writes [`Directory`](super::directory::Directory) for each engine.

/// Implements `Directory` for `$database` (a type in the calling module), writing on its
/// `$writer` pool and reading on its `$reader` pool.
macro_rules! impl_directory {
    ($database:ident, writer: $writer:ident, reader: $reader:ident) => {
        mod directory_statements {
            use futures_util::future::BoxFuture;

            use super::$database;
            use crate::store::directory::{
                ACCOUNT_COLUMNS, AccountRow, AuditRow, Directory, NewAccountRow, NewAuditRow,
                NewRoomRow, NewSessionRow, PrivateRoomRow, RoomRow, SessionRow,
            };
            use crate::store::error::StoreError;

            impl Directory for $database {
                // Room creation is rare, so it goes straight to the write pool (waiting its
                // turn behind the committer's current batch) instead of through its queue.
                fn create_room<'a>(
                    &'a self,
                    room: &'a NewRoomRow<'a>,
                ) -> BoxFuture<'a, Result<bool, StoreError>> {
                    Box::pin(async move {
                        let mut transaction = self.$writer.begin().await?;
                        let created = sqlx::query(
                            "INSERT INTO rooms (name, created_at, private, dm) \
                             VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING",
                        )
                        .bind(room.name)
                        .bind(room.created_at)
                        .bind(room.private)
                        .bind(room.dm)
                        .execute(&mut *transaction)
                        .await?;
                        if created.rows_affected() != 1 {
                            return Ok(false);
                        }
                        for (account, role) in room.members {
                            sqlx::query(
                                "INSERT INTO room_members (room, account_id, role, added_at) \
                                 VALUES ($1, $2, $3, $4)",
                            )
                            .bind(room.name)
                            .bind(account)
                            .bind(role)
                            .bind(room.created_at)
                            .execute(&mut *transaction)
                            .await?;
                        }
                        transaction.commit().await?;
                        Ok(true)
                    })
                }

                fn rooms(&self) -> BoxFuture<'_, Result<Vec<RoomRow>, StoreError>> {
                    Box::pin(async move {
                        Ok(sqlx::query_as("SELECT name, last_seq, private FROM rooms ORDER BY name")
                            .fetch_all(&self.$reader)
                            .await?)
                    })
                }

                fn insert_account<'a>(
                    &'a self,
                    account: &'a NewAccountRow<'a>,
                ) -> BoxFuture<'a, Result<Option<i64>, StoreError>> {
                    Box::pin(async move {
                        Ok(sqlx::query_scalar(
                            "INSERT INTO accounts \
                             (username, username_key, password_hash, role, created_at) \
                             VALUES ($1, $2, $3, $4, $5) \
                             ON CONFLICT (username_key) DO NOTHING RETURNING id",
                        )
                        .bind(account.username)
                        .bind(account.username_key)
                        .bind(account.password_hash)
                        .bind(account.role)
                        .bind(account.created_at)
                        .fetch_optional(&self.$writer)
                        .await?)
                    })
                }

                fn delete_account(&self, id: i64) -> BoxFuture<'_, Result<bool, StoreError>> {
                    Box::pin(async move {
                        let deleted = sqlx::query("DELETE FROM accounts WHERE id = $1")
                            .bind(id)
                            .execute(&self.$writer)
                            .await?;
                        Ok(deleted.rows_affected() == 1)
                    })
                }

                fn account_by_key<'a>(
                    &'a self,
                    key: &'a str,
                ) -> BoxFuture<'a, Result<Option<AccountRow>, StoreError>> {
                    Box::pin(async move {
                        let query =
                            format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE username_key = $1");
                        Ok(sqlx::query_as(&query).bind(key).fetch_optional(&self.$reader).await?)
                    })
                }

                fn set_role<'a>(
                    &'a self,
                    key: &'a str,
                    role: &'a str,
                ) -> BoxFuture<'a, Result<bool, StoreError>> {
                    Box::pin(async move {
                        let updated =
                            sqlx::query("UPDATE accounts SET role = $2 WHERE username_key = $1")
                                .bind(key)
                                .bind(role)
                                .execute(&self.$writer)
                                .await?;
                        Ok(updated.rows_affected() == 1)
                    })
                }

                fn accounts(&self) -> BoxFuture<'_, Result<Vec<AccountRow>, StoreError>> {
                    Box::pin(async move {
                        let query =
                            format!("SELECT {ACCOUNT_COLUMNS} FROM accounts ORDER BY username_key");
                        Ok(sqlx::query_as(&query).fetch_all(&self.$reader).await?)
                    })
                }

                fn last_seen(&self) -> BoxFuture<'_, Result<Vec<(i64, i64)>, StoreError>> {
                    Box::pin(async move {
                        Ok(sqlx::query_as(
                            "SELECT account_id, MAX(last_seen_at) FROM account_sessions \
                             GROUP BY account_id",
                        )
                        .fetch_all(&self.$reader)
                        .await?)
                    })
                }

                fn insert_session<'a>(
                    &'a self,
                    session: &'a NewSessionRow<'a>,
                ) -> BoxFuture<'a, Result<(), StoreError>> {
                    Box::pin(async move {
                        sqlx::query(
                            "INSERT INTO account_sessions \
                             (token_hash, account_id, created_at, expires_at, last_seen_at) \
                             VALUES ($1, $2, $3, $4, $3)",
                        )
                        .bind(session.token_hash)
                        .bind(session.account_id)
                        .bind(session.created_at)
                        .bind(session.expires_at)
                        .execute(&self.$writer)
                        .await?;
                        Ok(())
                    })
                }

                fn account_of_session<'a>(
                    &'a self,
                    token_hash: &'a [u8],
                    now: i64,
                ) -> BoxFuture<'a, Result<Option<AccountRow>, StoreError>> {
                    Box::pin(async move {
                        // On the write connection, where a session signed out a moment ago is
                        // already gone; the update marks it seen only if it has not expired.
                        let account_id: Option<i64> = sqlx::query_scalar(
                            "UPDATE account_sessions SET last_seen_at = $2 \
                             WHERE token_hash = $1 AND expires_at > $2 RETURNING account_id",
                        )
                        .bind(token_hash)
                        .bind(now)
                        .fetch_optional(&self.$writer)
                        .await?;
                        let Some(account_id) = account_id else { return Ok(None) };
                        let query = format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE id = $1");
                        Ok(sqlx::query_as(&query)
                            .bind(account_id)
                            .fetch_optional(&self.$writer)
                            .await?)
                    })
                }

                fn sessions_of(
                    &self,
                    account: i64,
                    now: i64,
                ) -> BoxFuture<'_, Result<Vec<SessionRow>, StoreError>> {
                    Box::pin(async move {
                        Ok(sqlx::query_as(
                            "SELECT token_hash, created_at, last_seen_at, expires_at \
                             FROM account_sessions WHERE account_id = $1 AND expires_at > $2 \
                             ORDER BY created_at DESC",
                        )
                        .bind(account)
                        .bind(now)
                        .fetch_all(&self.$writer)
                        .await?)
                    })
                }

                fn delete_sessions_except<'a>(
                    &'a self,
                    account: i64,
                    keep: &'a [u8],
                ) -> BoxFuture<'a, Result<u64, StoreError>> {
                    Box::pin(async move {
                        let deleted = sqlx::query(
                            "DELETE FROM account_sessions WHERE account_id = $1 AND token_hash <> $2",
                        )
                        .bind(account)
                        .bind(keep)
                        .execute(&self.$writer)
                        .await?;
                        Ok(deleted.rows_affected())
                    })
                }

                fn set_password_hash<'a>(
                    &'a self,
                    account: i64,
                    hash: &'a str,
                ) -> BoxFuture<'a, Result<bool, StoreError>> {
                    Box::pin(async move {
                        let updated = sqlx::query("UPDATE accounts SET password_hash = $2 WHERE id = $1")
                            .bind(account)
                            .bind(hash)
                            .execute(&self.$writer)
                            .await?;
                        Ok(updated.rows_affected() == 1)
                    })
                }

                fn delete_session<'a>(
                    &'a self,
                    token_hash: &'a [u8],
                ) -> BoxFuture<'a, Result<bool, StoreError>> {
                    Box::pin(async move {
                        let deleted =
                            sqlx::query("DELETE FROM account_sessions WHERE token_hash = $1")
                                .bind(token_hash)
                                .execute(&self.$writer)
                                .await?;
                        Ok(deleted.rows_affected() == 1)
                    })
                }

                fn room_role<'a>(
                    &'a self,
                    room: &'a str,
                    account: i64,
                ) -> BoxFuture<'a, Result<Option<String>, StoreError>> {
                    Box::pin(async move {
                        // The write connection: a removal a moment ago must already count.
                        Ok(sqlx::query_scalar(
                            "SELECT role FROM room_members WHERE room = $1 AND account_id = $2",
                        )
                        .bind(room)
                        .bind(account)
                        .fetch_optional(&self.$writer)
                        .await?)
                    })
                }

                fn add_room_member<'a>(
                    &'a self,
                    room: &'a str,
                    account: i64,
                    role: &'a str,
                    now: i64,
                ) -> BoxFuture<'a, Result<bool, StoreError>> {
                    Box::pin(async move {
                        let added = sqlx::query(
                            "INSERT INTO room_members (room, account_id, role, added_at) \
                             VALUES ($1, $2, $3, $4) ON CONFLICT (room, account_id) DO NOTHING",
                        )
                        .bind(room)
                        .bind(account)
                        .bind(role)
                        .bind(now)
                        .execute(&self.$writer)
                        .await?;
                        Ok(added.rows_affected() == 1)
                    })
                }

                fn remove_room_member<'a>(
                    &'a self,
                    room: &'a str,
                    account: i64,
                ) -> BoxFuture<'a, Result<bool, StoreError>> {
                    Box::pin(async move {
                        let removed = sqlx::query(
                            "DELETE FROM room_members WHERE room = $1 AND account_id = $2",
                        )
                        .bind(room)
                        .bind(account)
                        .execute(&self.$writer)
                        .await?;
                        Ok(removed.rows_affected() == 1)
                    })
                }

                fn set_ban<'a>(
                    &'a self,
                    account: i64,
                    until: Option<i64>,
                    reason: Option<&'a str>,
                ) -> BoxFuture<'a, Result<bool, StoreError>> {
                    Box::pin(async move {
                        let mut transaction = self.$writer.begin().await?;
                        let updated = sqlx::query(
                            "UPDATE accounts SET banned_until = $2, ban_reason = $3 WHERE id = $1",
                        )
                        .bind(account)
                        .bind(until)
                        .bind(reason)
                        .execute(&mut *transaction)
                        .await?;
                        if until.is_some() {
                            sqlx::query("DELETE FROM account_sessions WHERE account_id = $1")
                                .bind(account)
                                .execute(&mut *transaction)
                                .await?;
                        }
                        transaction.commit().await?;
                        Ok(updated.rows_affected() == 1)
                    })
                }

                fn add_audit_entry<'a>(
                    &'a self,
                    entry: &'a NewAuditRow<'a>,
                ) -> BoxFuture<'a, Result<(), StoreError>> {
                    Box::pin(async move {
                        sqlx::query(
                            "INSERT INTO audit_log (at, actor, action, target, room, reason) \
                             VALUES ($1, $2, $3, $4, $5, $6)",
                        )
                        .bind(entry.at)
                        .bind(entry.actor)
                        .bind(entry.action)
                        .bind(entry.target)
                        .bind(entry.room)
                        .bind(entry.reason)
                        .execute(&self.$writer)
                        .await?;
                        Ok(())
                    })
                }

                fn audit_entries(
                    &self,
                    before: i64,
                    limit: i64,
                ) -> BoxFuture<'_, Result<Vec<AuditRow>, StoreError>> {
                    Box::pin(async move {
                        Ok(sqlx::query_as(
                            "SELECT id, at, actor, action, target, room, reason FROM audit_log \
                             WHERE id < $1 ORDER BY id DESC LIMIT $2",
                        )
                        .bind(before)
                        .bind(limit)
                        .fetch_all(&self.$reader)
                        .await?)
                    })
                }

                fn room_members<'a>(
                    &'a self,
                    room: &'a str,
                ) -> BoxFuture<'a, Result<Vec<(String, String)>, StoreError>> {
                    Box::pin(async move {
                        // The write connection, as for `room_role`: a removal a moment ago
                        // must already count.
                        Ok(sqlx::query_as(
                            "SELECT accounts.username, room_members.role FROM room_members \
                             JOIN accounts ON accounts.id = room_members.account_id \
                             WHERE room_members.room = $1 ORDER BY accounts.username",
                        )
                        .bind(room)
                        .fetch_all(&self.$writer)
                        .await?)
                    })
                }

                fn private_rooms_of(
                    &self,
                    account: i64,
                ) -> BoxFuture<'_, Result<Vec<PrivateRoomRow>, StoreError>> {
                    Box::pin(async move {
                        Ok(sqlx::query_as(
                            "SELECT rooms.name, CASE WHEN rooms.dm THEN \
                             (SELECT accounts.username FROM room_members AS other \
                              JOIN accounts ON accounts.id = other.account_id \
                              WHERE other.room = rooms.name AND other.account_id <> $1) END \
                             FROM room_members \
                             JOIN rooms ON rooms.name = room_members.room \
                             WHERE room_members.account_id = $1 AND rooms.private",
                        )
                        .bind(account)
                        .fetch_all(&self.$writer)
                        .await?)
                    })
                }
            }
        }
    };
}

pub(crate) use impl_directory;
