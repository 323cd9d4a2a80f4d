package io.rbdstack.server.limit;

import io.rbdstack.server.account.DomainPaths;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.db.Jdbc;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * {@link LimitCheck} over the database. It locks the rows of the account's domains (ROOT excepted, shallowest
 * first) and then the account's, before it counts: an allocation of the same account, or of another account
 * under a shared limited domain, waits until this transaction has recorded its own.
 */
public final class ResourceLimitEnforcer implements LimitCheck {

    private record Owner(String name, int type, String domainUuid, String domainPath) {
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
        Owner owner = jdbc.queryOne("SELECT a.account_name, a.type, d.uuid, d.path FROM account a JOIN domain d"
                        + " ON d.id = a.domain_id WHERE a.id = ?", rs -> new Owner(rs.getString(1), rs.getInt(2),
                        rs.getString(3), rs.getString(4)), accountId)
                .orElseThrow(() -> new IllegalStateException("no account " + accountId));
        if (owner.type() == Caller.TYPE_ADMIN) {
            return;
        }
        List<String> domains = limitedDomains(owner.domainPath());
        if (!domains.isEmpty()) {
            jdbc.query("SELECT id FROM domain WHERE path IN (" + String.join(", ", Collections.nCopies(domains.size(),
                    "?")) + ") AND removed IS NULL ORDER BY path FOR UPDATE", rs -> rs.getLong(1), domains.toArray());
        }
        jdbc.query("SELECT id FROM account WHERE id = ? FOR UPDATE", rs -> rs.getLong(1), accountId);
        for (Map.Entry<ResourceType, Long> want : requested.entrySet()) {
            ResourceType type = want.getKey();
            long amount = want.getValue();
            if (amount <= 0) {
                continue;
            }
            long limit = limits.ofAccount(type, accountId, owner.type());
            long current = limit == ResourceType.UNLIMITED ? 0 : usage.ofAccount(type, accountId);
            if (LimitExceeded.exceeds(limit, current, amount)) {
                throw LimitExceeded.account(type, owner.name(), owner.domainUuid(), limit, current, amount);
            }
            // From the account's own domain upwards, as CloudStack checks them.
            for (int i = domains.size() - 1; i >= 0; i--) {
                String path = domains.get(i);
                long domainLimit = limits.ofDomain(type, path);
                long domainCurrent = domainLimit == ResourceType.UNLIMITED ? 0 : usage.ofDomain(type, path);
                if (LimitExceeded.exceeds(domainLimit, domainCurrent, amount)) {
                    String uuid = jdbc.queryOne("SELECT uuid FROM domain WHERE path = ? AND removed IS NULL",
                            rs -> rs.getString(1), path).orElse(path);
                    throw LimitExceeded.domain(type, uuid, domainLimit, domainCurrent, amount);
                }
            }
        }
    }

    /** The paths of the domain at {@code path} and its ancestors, ROOT excepted, shallowest first. */
    static List<String> limitedDomains(String path) {
        List<String> paths = new ArrayList<>();
        for (String p = path; !p.equals(DomainPaths.ROOT); p = Limits.parent(p)) {
            paths.add(0, p);
        }
        return paths;
    }
}
