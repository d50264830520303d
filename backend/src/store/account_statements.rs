//! The statements on accounts, the same text for both engines: SQLite reads PostgreSQL's
//! `$1` placeholders as numbered parameters (sqlx binds `$NNN` by number), and both know
//! `RETURNING` and `ON CONFLICT`. Only the connection a statement runs on differs, so one
//! macro writes [`AccountEngine`](super::account_engine::AccountEngine) for each engine.

/// Implements `AccountEngine` for `$database`, writing on its `$writer` pool and reading on
/// its `$reader` pool.
macro_rules! impl_account_engine {
    ($database:ty, writer: $writer:ident, reader: $reader:ident) => {
        impl $crate::store::account_engine::AccountEngine for $database {
            fn insert_account<'a>(
                &'a self,
                account: &'a $crate::store::account_engine::NewAccountRow<'a>,
            ) -> futures_util::future::BoxFuture<'a, Result<Option<i64>, $crate::store::error::StoreError>> {
                Box::pin(async move {
                    Ok(sqlx::query_scalar(
                        "INSERT INTO accounts (username, username_key, password_hash, role, created_at) \
                         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (username_key) DO NOTHING RETURNING id",
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

            fn delete_account(&self, id: i64) -> futures_util::future::BoxFuture<'_, Result<bool, $crate::store::error::StoreError>> {
                Box::pin(async move {
                    let deleted =
                        sqlx::query("DELETE FROM accounts WHERE id = $1").bind(id).execute(&self.$writer).await?;
                    Ok(deleted.rows_affected() == 1)
                })
            }

            fn account_by_key<'a>(
                &'a self,
                key: &'a str,
            ) -> futures_util::future::BoxFuture<'a, Result<Option<$crate::store::account_engine::AccountRow>, $crate::store::error::StoreError>> {
                Box::pin(async move {
                    let query = format!("SELECT {} FROM accounts WHERE username_key = $1", $crate::store::account_engine::ACCOUNT_COLUMNS);
                    Ok(sqlx::query_as(&query).bind(key).fetch_optional(&self.$reader).await?)
                })
            }

            fn set_role<'a>(
                &'a self,
                key: &'a str,
                role: &'a str,
            ) -> futures_util::future::BoxFuture<'a, Result<bool, $crate::store::error::StoreError>> {
                Box::pin(async move {
                    let updated = sqlx::query("UPDATE accounts SET role = $2 WHERE username_key = $1")
                        .bind(key)
                        .bind(role)
                        .execute(&self.$writer)
                        .await?;
                    Ok(updated.rows_affected() == 1)
                })
            }

            fn accounts(&self) -> futures_util::future::BoxFuture<'_, Result<Vec<$crate::store::account_engine::AccountRow>, $crate::store::error::StoreError>> {
                Box::pin(async move {
                    let query = format!("SELECT {} FROM accounts ORDER BY username_key", $crate::store::account_engine::ACCOUNT_COLUMNS);
                    Ok(sqlx::query_as(&query).fetch_all(&self.$reader).await?)
                })
            }

            fn insert_session<'a>(
                &'a self,
                session: &'a $crate::store::account_engine::NewSessionRow<'a>,
            ) -> futures_util::future::BoxFuture<'a, Result<(), $crate::store::error::StoreError>> {
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
            ) -> futures_util::future::BoxFuture<'a, Result<Option<$crate::store::account_engine::AccountRow>, $crate::store::error::StoreError>> {
                Box::pin(async move {
                    // On the write connection, where a session signed out a moment ago is already
                    // gone; the update marks it seen only if it has not expired.
                    let account_id: Option<i64> = sqlx::query_scalar(
                        "UPDATE account_sessions SET last_seen_at = $2 \
                         WHERE token_hash = $1 AND expires_at > $2 RETURNING account_id",
                    )
                    .bind(token_hash)
                    .bind(now)
                    .fetch_optional(&self.$writer)
                    .await?;
                    let Some(account_id) = account_id else { return Ok(None) };
                    let query = format!("SELECT {} FROM accounts WHERE id = $1", $crate::store::account_engine::ACCOUNT_COLUMNS);
                    Ok(sqlx::query_as(&query).bind(account_id).fetch_optional(&self.$writer).await?)
                })
            }

            fn delete_session<'a>(
                &'a self,
                token_hash: &'a [u8],
            ) -> futures_util::future::BoxFuture<'a, Result<bool, $crate::store::error::StoreError>> {
                Box::pin(async move {
                    let deleted = sqlx::query("DELETE FROM account_sessions WHERE token_hash = $1")
                        .bind(token_hash)
                        .execute(&self.$writer)
                        .await?;
                    Ok(deleted.rows_affected() == 1)
                })
            }
        }
    };
}

pub(crate) use impl_account_engine;
