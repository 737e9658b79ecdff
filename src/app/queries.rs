//! The read path: queries on the read model, through the read cache (cache-aside).

use super::App;
use super::keys::Key;
use crate::domain::LoginId;
use crate::domain::fold_key;
use crate::ports::{CategoryRow, ProfileRow, SessionUser, StoreResult};
use std::sync::Arc;

impl App {
    /// The board and category tree, shared with the cache rather than copied from it.
    pub async fn category_tree(&self) -> StoreResult<Arc<Vec<CategoryRow>>> {
        self.cache.get_or_load(Key::category_tree(), self.reads.category_tree()).await
    }

    /// A public profile by the user's name (any letter case), shared with the cache.
    pub async fn profile(&self, name: &str) -> StoreResult<Option<Arc<ProfileRow>>> {
        let name_key = fold_key(name);
        let user_id =
            self.cache.get_or_load(Key::user_by_name(&name_key), self.reads.user_id_by_name(&name_key)).await?;
        let Some(id) = *user_id else { return Ok(None) };
        let load = async { Ok(self.reads.profile(id).await?.map(Arc::new)) };
        Ok(Option::clone(&*self.cache.get_or_load(Key::profile(id), load).await?))
    }

    /// The user of an open session, or None once the session has ended; shared with the cache.
    pub async fn session_user(&self, login_id: LoginId) -> StoreResult<Option<Arc<SessionUser>>> {
        let load = async { Ok(self.reads.session_user(login_id).await?.map(Arc::new)) };
        Ok(Option::clone(&*self.cache.get_or_load(Key::login(login_id), load).await?))
    }
}
