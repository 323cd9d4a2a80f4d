package io.rbdstack.server.api;

import java.util.Optional;

/** Looks up the accounts and domains list commands and account commands name by name or uuid. */
public interface Owners {

    /** A live domain: its row id and path ("/" for ROOT, "/a/b/" below it). */
    record DomainRef(long id, String uuid, String path) {
    }

    /** A live account with its domain. */
    record AccountRef(long id, String uuid, String name, int type, DomainRef domain) {
    }

    Optional<DomainRef> domain(String uuid);

    Optional<AccountRef> account(String uuid);

    Optional<AccountRef> account(String name, long domainId);
}
