//! The reason kept with the changes a piece of work records, when one store serves many
//! requests that each give their own (a web server's): a store's own reason
//! ([`super::SqliteStore::set_reason`]) is the whole session's, one per command.

use std::future::Future;

tokio::task_local! {
    /// The reason of the work running on this task, set by [`with_reason`].
    static REASON: Option<String>;
}

/// Runs `work` with `reason` kept beside every change it records, in place of the store's own
/// reason. The work's store calls must run on this task (not handed to another one), as every
/// store method does.
pub async fn with_reason<F: Future>(reason: Option<String>, work: F) -> F::Output {
    REASON.scope(reason, work).await
}

/// The reason for a write transaction beginning now: the running work's, if it gave one
/// through [`with_reason`], else the store's own.
pub(super) fn current(store_reason: Option<&str>) -> Option<String> {
    REASON
        .try_with(|reason| reason.clone())
        .ok()
        .flatten()
        .or_else(|| store_reason.map(str::to_string))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_work_s_reason_goes_before_the_store_s() {
        assert_eq!(current(Some("session")).as_deref(), Some("session"));
        assert_eq!(current(None), None);
        let inside = with_reason(Some("request".into()), async { current(Some("session")) });
        assert_eq!(inside.await.as_deref(), Some("request"));
        let none_given = with_reason(None, async { current(Some("session")) });
        assert_eq!(none_given.await.as_deref(), Some("session"));
    }
}
