//! The shared store for several nodes: PostgreSQL, with the same schema as SQLite.
//!
//! Every node has its own committer (`crate::delivery`), so here several writers meet at the
//! same rooms; how they take turns is in [`append`].

mod append;
mod search;

use std::time::Duration;

use sqlx::postgres::{PgPool, PgPoolOptions};
use tracing::info;

use futures_util::future::BoxFuture;

use super::append::append_batch;
use super::engine::Engine;
use super::error::StoreError;
use super::import_rows::import_rows;
use super::model::{Appended, NewMessage};
use super::rows::MessageRow;

crate::store::guest_ban_statements::impl_guest_ban_book!(PostgresDatabase, writer: pool);
crate::store::invite_statements::impl_invite_book!(PostgresDatabase, writer: pool);
crate::store::room_moderation_statements::impl_room_moderation!(PostgresDatabase, writer: pool);
crate::store::retention_statements::impl_retention!(PostgresDatabase, writer: pool, reader: pool);
crate::store::author_key_statements::impl_author_keys!(PostgresDatabase, writer: pool, reader: pool);
crate::store::history_statements::impl_history!(PostgresDatabase, reader: pool);
crate::store::directory_statements::impl_directory!(PostgresDatabase, writer: pool, reader: pool);

/// Connections: the committer's, and the rest for reading history.
const CONNECTIONS: u32 = 8;

#[derive(Debug, Clone)]
pub struct PostgresDatabase {
    pool: PgPool,
}

impl PostgresDatabase {
    /// Connects to the database at `url` (`postgres://...`) and applies the migrations
    /// (sqlx holds an advisory lock while migrating, so nodes starting together take turns).
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(CONNECTIONS)
            .acquire_timeout(Duration::from_secs(5))
            .connect(url)
            .await?;
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        info!("PostgreSQL store open");
        Ok(Self { pool })
    }
}

impl Engine for PostgresDatabase {
    /// Stores a batch in one transaction (see [`Engine::store_batch`] and [`append`]).
    fn store_batch<'a>(
        &'a self,
        batch: &'a [&'a NewMessage],
    ) -> BoxFuture<'a, Result<Vec<Result<Appended, StoreError>>, StoreError>> {
        Box::pin(async move {
            let mut transaction = self.pool.begin().await?;
            let outcomes = append_batch(self, &mut transaction, batch).await?;
            transaction.commit().await?;
            Ok(outcomes)
        })
    }

    fn import_entries<'a>(
        &'a self,
        rows: &'a [MessageRow],
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let mut transaction = self.pool.begin().await?;
            import_rows(&mut transaction, rows).await?;
            transaction.commit().await?;
            Ok(())
        })
    }

    /// Nothing to do at once: PostgreSQL keeps a deleted text's old row version until VACUUM
    /// (autovacuum does it) and in its write-ahead log until it is recycled (docs/SECURITY.md).
    fn forget_erased(&self) -> BoxFuture<'_, Result<(), StoreError>> {
        Box::pin(async { Ok(()) })
    }

    fn backup_to<'a>(&'a self, _path: &'a str) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            Err(StoreError::Unsupported(
                "back PostgreSQL up with its own tools: pg_dump --format=custom (see docs/OPERATIONS.md)",
            ))
        })
    }
}
