package io.rbdstack.server.limit;

import io.rbdstack.server.account.DomainPaths;
import io.rbdstack.server.account.DomainRepository;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.db.Jdbc;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link LimitCheck} over the database. Before it counts anything it locks the account's row and then the
 * rows of the account's domain and its ancestors (ROOT excepted), deepest first: allocations of one account,
 * or of accounts under a shared domain, take turns, and any two take the locks they share in the same order.
 * All of them are locking reads, so the counts that follow, the transaction's first plain reads, see every
 * allocation committed before the locks were granted.
 */
public final class ResourceLimitEnforcer implements LimitCheck {

    private record Owner(String name, int type, long domainId) {
    }

    /** A domain the account is under, with its uuid for the error text. */
    private record LimitedDomain(String path, String uuid) {
    }

    private final Jdbc jdbc;
    private final Limits limits;
    private final ResourceUsage usage;

    public ResourceLimitEnforcer(Jdbc jdbc, Limits limits, ResourceUsage usage) {
        this.jdbc = jdbc;
        this.limits = limits;
        this.usage = usage;
    }

    @Override
    public void check(long accountId, Map<ResourceType, Long> requested) {
        Owner owner = jdbc.queryOne("SELECT account_name, type, domain_id FROM account WHERE id = ? FOR UPDATE",
                        rs -> new Owner(rs.getString(1), rs.getInt(2), rs.getLong(3)), accountId)
                .orElseThrow(() -> new IllegalStateException("no account " + accountId));
        if (owner.type() == Caller.TYPE_ADMIN) {
            return;
        }
        List<LimitedDomain> domains = lockDomains(owner.domainId());
        String accountDomainUuid = jdbc.queryOne("SELECT uuid FROM domain WHERE id = ?", rs -> rs.getString(1),
                owner.domainId()).orElseThrow();
        for (Map.Entry<ResourceType, Long> want : requested.entrySet()) {
            ResourceType type = want.getKey();
            long amount = want.getValue();
            if (amount <= 0) {
                continue;
            }
            long limit = limits.ofAccount(type, accountId, owner.type());
            long current = limit == ResourceType.UNLIMITED ? 0 : usage.ofAccount(type, accountId);
            if (LimitExceeded.exceeds(limit, current, amount)) {
                throw LimitExceeded.account(type, owner.name(), accountDomainUuid, limit, current, amount);
            }
            // From the account's own domain upwards, as CloudStack checks them.
            for (LimitedDomain domain : domains) {
                long domainLimit = limits.ofDomain(type, domain.path());
                long domainCurrent = domainLimit == ResourceType.UNLIMITED ? 0 : usage.ofDomain(type, domain.path());
                if (LimitExceeded.exceeds(domainLimit, domainCurrent, amount)) {
                    throw LimitExceeded.domain(type, domain.uuid(), domainLimit, domainCurrent, amount);
                }
            }
        }
    }

    /** Locks the account's domain and its ancestors below ROOT, deepest first; returns them in that order. */
    private List<LimitedDomain> lockDomains(long domainId) {
        List<LimitedDomain> locked = new ArrayList<>();
        if (domainId == DomainRepository.ROOT_ID) {
            // ROOT is never limited: its accounts do not queue behind one another's domain.
            return locked;
        }
        String path = jdbc.queryOne("SELECT path FROM domain WHERE id = ? FOR UPDATE", rs -> rs.getString(1), domainId)
                .orElseThrow();
        for (String p : limitedDomains(path)) {
            jdbc.queryOne("SELECT uuid FROM domain WHERE live_path = ? FOR UPDATE", rs -> rs.getString(1), p)
                    .ifPresent(uuid -> locked.add(new LimitedDomain(p, uuid)));
        }
        return locked;
    }

    /** The paths of the domain at {@code path} and its ancestors, ROOT excepted, deepest first. */
    static List<String> limitedDomains(String path) {
        List<String> paths = new ArrayList<>();
        for (String p = path; !p.equals(DomainPaths.ROOT); p = Limits.parent(p)) {
            paths.add(p);
        }
        return paths;
    }
}
