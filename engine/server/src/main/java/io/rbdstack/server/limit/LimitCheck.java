package io.rbdstack.server.limit;

import java.util.Map;

/**
 * Refuses an allocation that would take an account (or one of its domains) past a resource limit. Called
 * inside the transaction that records the allocation, before anything else in it reads: it locks the
 * account's (and its domains') rows, so two allocations of one account, or of one domain's accounts, are
 * counted one after the other, each seeing what the other recorded.
 */
@FunctionalInterface
public interface LimitCheck {

    /** No limits: for code that allocates on nobody's behalf, and for tests. */
    LimitCheck NONE = (accountId, requested) -> { };

    /**
     * @param requested how much of each type the allocation adds (bytes for storage types)
     * @throws io.rbdstack.server.api.ApiException 532 (ACCOUNT_RESOURCE_LIMIT_ERROR) with CloudStack's text
     */
    void check(long accountId, Map<ResourceType, Long> requested);
}
