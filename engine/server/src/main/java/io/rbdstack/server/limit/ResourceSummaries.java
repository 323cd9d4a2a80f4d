package io.rbdstack.server.limit;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The {@link ResourceSummary} of accounts (a page of them read in a few queries) and of domains. */
public final class ResourceSummaries {

    /** An account to summarise: its id and type. */
    public record AccountKey(long id, int type) {
    }

    private final Limits limits;
    private final ResourceUsage usage;

    public ResourceSummaries(Limits limits, ResourceUsage usage) {
        this.limits = limits;
        this.usage = usage;
    }

    public Map<Long, ResourceSummary> ofAccounts(List<AccountKey> accounts) {
        Map<Long, Integer> types = new HashMap<>();
        accounts.forEach(a -> types.put(a.id(), a.type()));
        Map<Long, Map<ResourceType, Long>> limitsById = limits.ofAccounts(types);
        Map<ResourceType, Map<Long, Long>> usedByType = new EnumMap<>(ResourceType.class);
        for (ResourceType type : ResourceType.values()) {
            usedByType.put(type, usage.ofAccounts(type, types.keySet()));
        }
        Map<Long, ResourceSummary> summaries = new HashMap<>();
        for (AccountKey account : accounts) {
            Map<ResourceType, Long> used = new EnumMap<>(ResourceType.class);
            usedByType.forEach((type, byId) -> used.put(type, byId.getOrDefault(account.id(), 0L)));
            summaries.put(account.id(), ResourceSummary.of(limitsById.get(account.id()), used));
        }
        return summaries;
    }

    public ResourceSummary ofDomain(String path) {
        Map<ResourceType, Long> max = new EnumMap<>(ResourceType.class);
        Map<ResourceType, Long> used = new EnumMap<>(ResourceType.class);
        for (ResourceType type : ResourceType.values()) {
            max.put(type, limits.ofDomain(type, path));
            used.put(type, usage.ofDomain(type, path));
        }
        return ResourceSummary.of(max, used);
    }
}
