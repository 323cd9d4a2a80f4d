package io.rbdstack.server.limit;

import io.rbdstack.server.account.DomainPaths;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.db.Jdbc;
import io.rbdstack.server.settings.SettingsRepository;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The limits in force, as CloudStack resolves them: an account's own limit, else the global default
 * (max.account.*); a domain's own limit, else the nearest limit set on a domain above it (ROOT excluded),
 * else the global default (max.domain.*). Root admin accounts and the ROOT domain are never limited.
 * Limits are kept in the unit counted (bytes for storage).
 */
public final class Limits {

    private final Jdbc jdbc;
    private final SettingsRepository settings;

    public Limits(Jdbc jdbc, SettingsRepository settings) {
        this.jdbc = jdbc;
        this.settings = settings;
    }

    public long ofAccount(ResourceType type, long accountId, int accountType) {
        if (accountType == Caller.TYPE_ADMIN) {
            return ResourceType.UNLIMITED;
        }
        return own("account_id", accountId, type).orElseGet(() -> byDefault(type.accountDefault(), type));
    }

    /** The limit of the domain at {@code path}: its own, an ancestor's, or the default. */
    public long ofDomain(ResourceType type, String path) {
        if (path.equals(DomainPaths.ROOT)) {
            return ResourceType.UNLIMITED;
        }
        List<String> upwards = new ArrayList<>();
        for (String p = path; !p.equals(DomainPaths.ROOT); p = parent(p)) {
            upwards.add(p);
        }
        for (String p : upwards) {
            Optional<Long> set = jdbc.queryOne("SELECT l.max FROM resource_limit l JOIN domain d ON d.id = l.domain_id"
                    + " WHERE d.path = ? AND d.removed IS NULL AND l.type = ?", rs -> rs.getLong(1), p, type.name());
            if (set.isPresent()) {
                return set.get();
            }
        }
        return byDefault(type.domainDefault(), type);
    }

    /**
     * The limits of several accounts at once (a listAccounts page), by account id and type.
     *
     * @param accountTypes each account's type (root admins are not limited)
     */
    public Map<Long, Map<ResourceType, Long>> ofAccounts(Map<Long, Integer> accountTypes) {
        record SetLimit(long accountId, String type, long max) {
        }
        Map<Long, Map<String, Long>> set = new HashMap<>();
        if (!accountTypes.isEmpty()) {
            jdbc.query("SELECT account_id, type, max FROM resource_limit WHERE account_id IN ("
                            + String.join(", ", Collections.nCopies(accountTypes.size(), "?")) + ")",
                    rs -> new SetLimit(rs.getLong(1), rs.getString(2), rs.getLong(3)), accountTypes.keySet().toArray())
                    .forEach(l -> set.computeIfAbsent(l.accountId(), id -> new HashMap<>()).put(l.type(), l.max()));
        }
        Map<Long, Map<ResourceType, Long>> limits = new HashMap<>();
        accountTypes.forEach((id, accountType) -> {
            Map<ResourceType, Long> byType = new EnumMap<>(ResourceType.class);
            for (ResourceType type : ResourceType.values()) {
                Long own = set.getOrDefault(id, Map.of()).get(type.name());
                byType.put(type, accountType == Caller.TYPE_ADMIN ? ResourceType.UNLIMITED
                        : own != null ? own : byDefault(type.accountDefault(), type));
            }
            limits.put(id, byType);
        });
        return limits;
    }

    /**
     * Whether {@code amount} is over the account's limit or its domain's (its own, an ancestor's or the
     * default), as CloudStack compares a snapshot policy's maxsnaps; root admins are never over.
     */
    public boolean overAccountOrDomain(ResourceType type, long accountId, long amount) {
        record Owner(int type, String domainPath) {
        }
        Owner owner = jdbc.queryOne("SELECT a.type, d.path FROM account a JOIN domain d ON d.id = a.domain_id"
                + " WHERE a.id = ?", rs -> new Owner(rs.getInt(1), rs.getString(2)), accountId)
                .orElseThrow(() -> new IllegalStateException("no account " + accountId));
        if (owner.type() == Caller.TYPE_ADMIN) {
            return false;
        }
        long account = ofAccount(type, accountId, owner.type());
        long domain = ofDomain(type, owner.domainPath());
        return (account != ResourceType.UNLIMITED && amount > account)
                || (domain != ResourceType.UNLIMITED && amount > domain);
    }

    /** The limit set on the account itself, if any. */
    public Optional<Long> setOnAccount(ResourceType type, long accountId) {
        return own("account_id", accountId, type);
    }

    public void setForAccount(ResourceType type, long accountId, long max) {
        set("account_id", accountId, type, max);
    }

    public void setForDomain(ResourceType type, long domainId, long max) {
        set("domain_id", domainId, type, max);
    }

    private void set(String ownerColumn, long ownerId, ResourceType type, long max) {
        jdbc.update("INSERT INTO resource_limit (type, " + ownerColumn + ", max) VALUES (?, ?, ?)"
                + " ON DUPLICATE KEY UPDATE max = VALUES(max)", type.name(), ownerId, max);
    }

    private Optional<Long> own(String ownerColumn, long ownerId, ResourceType type) {
        return jdbc.queryOne("SELECT max FROM resource_limit WHERE " + ownerColumn + " = ? AND type = ?",
                rs -> rs.getLong(1), ownerId, type.name());
    }

    private long byDefault(io.rbdstack.server.settings.Setting setting, ResourceType type) {
        long value = settings.longValue(setting);
        return value < 0 ? ResourceType.UNLIMITED : type.fromApi(value);
    }

    /** "/a/b/" → "/a/". */
    static String parent(String path) {
        int cut = path.lastIndexOf('/', path.length() - 2);
        return path.substring(0, cut + 1);
    }
}
