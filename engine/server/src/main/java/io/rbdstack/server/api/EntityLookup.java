package io.rbdstack.server.api;

import java.util.Optional;

/** Finds the row an id parameter names, removed rows included (CloudStack translates those ids too). */
@FunctionalInterface
public interface EntityLookup {

    Optional<Found> find(Entity entity, String uuid);

    /** @param ownerAccountId the owning account, or null for entities no account owns */
    record Found(long id, Long ownerAccountId) {
    }
}
