package io.rbdstack.server.api;

import java.util.Optional;

/** Finds the row an id parameter names, removed rows included (CloudStack translates those ids too). */
@FunctionalInterface
public interface EntityLookup {

    Optional<Found> find(Entity entity, String uuid);

    /**
     * @param ownerAccountId  the owning account, or null for entities no account owns
     * @param ownerDomainPath the path of the domain the row lives in (a domain's own path), or null for
     *                        entities outside the domain tree (zones, offerings …)
     */
    record Found(long id, Long ownerAccountId, String ownerDomainPath) {

        public Found(long id, Long ownerAccountId) {
            this(id, ownerAccountId, null);
        }
    }
}
