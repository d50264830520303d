//! Each entry keeps its author's key (`Nickname::key`: the name as the server tells names
//! apart, case and look-alike letters folded), so that search's "from" finds the person the
//! server would take the name for: `ALICE` and a look-alike spelling of `alice` are `alice`.
//! Entries stored before the key existed (migration `author_keys`) are given theirs by the
//! search backlog job ([`Store::fill_author_keys`]). The statements are the same for both
//! engines ([`super::author_key_statements`]).

use common::Nickname;
use futures_util::future::BoxFuture;

use super::Store;
use super::error::StoreError;

/// How many authors one round of [`Store::fill_author_keys`] looks up.
const AUTHORS_PER_ROUND: i64 = 100;

/// The key of an author's name as a row holds it (a name that no longer parses, from a
/// damaged import, is kept apart by its lower case).
pub fn author_key(author: &str) -> String {
    Nickname::parse(author).map_or_else(|_| author.to_lowercase(), |name| name.key())
}

/// The questions about authors' keys the store asks a database.
pub trait AuthorKeys: std::fmt::Debug + Send + Sync {
    /// Up to `limit` names that some entries hold without a key.
    fn authors_without_key(&self, limit: i64) -> BoxFuture<'_, Result<Vec<String>, StoreError>>;

    /// Gives `key` to every entry by `author` that has none; how many there were.
    fn set_author_key<'a>(
        &'a self,
        author: &'a str,
        key: &'a str,
    ) -> BoxFuture<'a, Result<u64, StoreError>>;
}

impl Store {
    /// Gives a round of older entries their author's key; how many entries got one (0 when
    /// none is left).
    pub async fn fill_author_keys(&self) -> Result<u64, StoreError> {
        let mut filled = 0;
        for author in self.database.authors_without_key(AUTHORS_PER_ROUND).await? {
            filled += self.database.set_author_key(&author, &author_key(&author)).await?;
        }
        Ok(filled)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_folds_case_and_look_alike_letters_as_the_server_does() {
        assert_eq!(author_key("ALICE"), author_key("alice"));
        // Cyrillic "а" looks like Latin "a": the same name to the server, and so to search.
        assert_eq!(author_key("\u{0430}lice"), author_key("alice"));
        assert_ne!(author_key("alicia"), author_key("alice"));
    }
}
