package io.rbdstack.server.limit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbdstack.server.account.DomainPaths;
import io.rbdstack.server.api.Access;
import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.api.Command;
import io.rbdstack.server.api.CommandRegistry;
import io.rbdstack.server.api.Entity;
import io.rbdstack.server.api.Owners;
import io.rbdstack.server.api.PageParams;
import io.rbdstack.server.api.Param;
import io.rbdstack.server.api.SyncCommand;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** listResourceLimits, updateResourceLimit and updateResourceCount, per account and per domain. */
public final class ResourceLimitCommands {

    private ResourceLimitCommands() {
    }

    /** What the commands need. */
    public record Deps(Limits limits, ResourceUsage usage, Owners owners) {

        /**
         * Whose limits a command is about: the account named {@code account} in {@code domainid} (the caller's
         * domain when absent), else the domain {@code domainid}, else the caller's own account.
         */
        Owner owner(Caller caller, Optional<String> account, Optional<String> domainId) {
            Owners.DomainRef domain = domainId.map(uuid -> owners.domain(uuid).orElseThrow(() ->
                    ApiException.invalidParameter("Unable to find domain by id " + uuid + " (parameter domainid)")))
                    .orElseGet(() -> new Owners.DomainRef(caller.domainId(), caller.domainUuid(), caller.domainPath()));
            if (account.isPresent()) {
                Owners.AccountRef found = owners.account(account.get(), domain.id()).orElseThrow(() ->
                        ApiException.invalidParameter("Unable to find account " + account.get() + " in domain "
                                + DomainPaths.display(domain.path()) + " (parameter account)"));
                if (!caller.mayManage(found.id(), found.type(), domain.path())) {
                    throw ApiException.permissionDenied("Account " + caller.accountName()
                            + " does not have permission to operate on account " + account.get());
                }
                return new Owner(Optional.of(found), domain);
            }
            if (domainId.isPresent()) {
                if (!caller.managesDomain(domain.path())) {
                    throw ApiException.permissionDenied("Account " + caller.accountName()
                            + " does not have permission to operate on domain " + domain.uuid());
                }
                return new Owner(Optional.empty(), domain);
            }
            return new Owner(owners.account(caller.accountUuid()), domain);
        }

        long limit(Owner owner, ResourceType type) {
            return owner.account().map(a -> limits.ofAccount(type, a.id(), a.type()))
                    .orElseGet(() -> limits.ofDomain(type, owner.domain().path()));
        }

        long count(Owner owner, ResourceType type) {
            return owner.account().map(a -> usage.ofAccount(type, a.id()))
                    .orElseGet(() -> usage.ofDomain(type, owner.domain().path()));
        }
    }

    /** An account (with its domain) or a domain alone. */
    record Owner(Optional<Owners.AccountRef> account, Owners.DomainRef domain) {
    }

    public static void register(CommandRegistry registry, Deps deps) {
        registry.register(ListResourceLimits.class, deps);
        registry.register(UpdateResourceLimit.class, deps);
        registry.register(UpdateResourceCount.class, deps);
    }

    /** A limit as CloudStack's listResourceLimits and updateResourceLimit show it (storage in GiB). */
    public record LimitView(String account, String domainid, String domain, String domainpath, String resourcetype,
                            String resourcetypename, long max) {

        static LimitView of(Owner owner, ResourceType type, long max) {
            return new LimitView(owner.account().map(Owners.AccountRef::name).orElse(null), owner.domain().uuid(),
                    DomainPaths.name(owner.domain().path()), DomainPaths.display(owner.domain().path()),
                    String.valueOf(type.number()), type.name(), type.toApi(max));
        }
    }

    /** A count as updateResourceCount shows it (bytes for storage). */
    public record CountView(String account, String domainid, String domain, String domainpath, String resourcetype,
                            String resourcetypename, long resourcecount) {
    }

    /** The type a number names, or 431 listing the ones rbdstack limits. */
    static ResourceType type(int number, String param) {
        return ResourceType.byNumber(number).orElseThrow(() -> ApiException.invalidParameter("Please specify valid"
                + " resource type (parameter " + param + "): rbdstack limits " + Arrays.stream(ResourceType.values())
                .map(t -> t.number() + " (" + t.name() + ")").collect(Collectors.joining(", "))));
    }

    /** The types a command is about: one, by number or by name, or all. */
    static List<ResourceType> types(Optional<Integer> number, Optional<String> name) {
        if (number.isPresent()) {
            return List.of(type(number.get(), "resourcetype"));
        }
        return name.map(n -> List.of(ResourceType.byName(n).orElseThrow(() -> ApiException.invalidParameter(
                "Please specify valid resource type (parameter resourcetypename): one of " + Arrays.toString(
                        ResourceType.values()))))).orElse(List.of(ResourceType.values()));
    }

    @Command(name = "listResourceLimits", description = "Lists resource limits.", access = Access.USER,
            response = "resourcelimit")
    record ListResourceLimits(
            @Param(description = "list resources by account. Must be used with the domainId parameter.",
                    column = "account.account_name") Optional<String> account,
            @Param(description = "list only resources belonging to the domain specified", entity = Entity.DOMAIN)
            Optional<String> domainId,
            @Param(description = "Type of resource: 2 volume, 3 snapshot, 10 primary_storage, 11 secondary_storage",
                    min = 0, max = 100) Optional<Integer> resourceType,
            @Param(description = "Type of resource (volume, snapshot, primary_storage, secondary_storage); ignored when"
                    + " resourcetype is given") Optional<String> resourceTypeName,
            PageParams page) implements SyncCommand<Deps> {

        @Override
        public ObjectNode execute(Caller caller, Deps deps) {
            boolean admin = caller.isRootAdmin() || caller.isDomainAdmin();
            // A user sees its own account's limits, whatever it names (as CloudStack does).
            Owner owner = admin ? deps.owner(caller, account, domainId)
                    : deps.owner(caller, Optional.empty(), Optional.empty());
            List<LimitView> views = types(resourceType, resourceTypeName).stream()
                    .map(type -> LimitView.of(owner, type, deps.limit(owner, type))).toList();
            return ApiJson.list("resourcelimit", page.paging().pageSize() > 0 ? views.stream()
                    .skip((long) (page.paging().page() - 1) * page.paging().pageSize())
                    .limit(page.paging().pageSize()).toList() : views, views.size());
        }
    }

    @Command(name = "updateResourceLimit", description = "Updates resource limits for an account or domain.",
            access = Access.DOMAIN_ADMIN, response = "resourcelimit",
            event = "RESOURCE.LIMIT.UPDATE")
    record UpdateResourceLimit(
            @Param(description = "Type of resource to update: 2 volume, 3 snapshot, 10 primary_storage (GiB), 11"
                    + " secondary_storage (GiB)", min = 0, max = 100) Integer resourceType,
            @Param(description = "Maximum resource limit; -1 for unlimited (the default); storage in GiB", min = -1)
            Optional<Long> max,
            @Param(description = "Update resource for a specified account. Must be used with the domainId parameter.",
                    column = "account.account_name") Optional<String> account,
            @Param(description = "Update resource limits for all accounts in specified domain. If used with the account"
                    + " parameter, updates resource limits for a specified account in specified domain.",
                    entity = Entity.DOMAIN) Optional<String> domainId) implements SyncCommand<Deps> {

        @Override
        public ObjectNode execute(Caller caller, Deps deps) {
            ResourceType type = type(resourceType, "resourcetype");
            if (account.isEmpty() && domainId.isEmpty()) {
                throw ApiException.invalidParameter("AccountId or domainId have to be specified in order to update"
                        + " resource limit");
            }
            Owner owner = deps.owner(caller, account, domainId);
            long value = max.orElse(ResourceType.UNLIMITED);
            long stored;
            try {
                stored = type.fromApi(value);
            } catch (ArithmeticException e) {
                throw ApiException.invalidParameter("Invalid value " + value + " for parameter max: too large");
            }
            if (owner.account().isPresent()) {
                Owners.AccountRef target = owner.account().get();
                if (target.type() == Caller.TYPE_ADMIN && value != ResourceType.UNLIMITED) {
                    throw ApiException.invalidParameter("Only " + ResourceType.UNLIMITED
                            + " limit is supported for Root Admin accounts");
                }
                if (caller.isDomainAdmin() && target.id() == caller.accountId()) {
                    throw ApiException.permissionDenied("Unable to update resource limit for his own account "
                            + target.uuid() + ", permission denied");
                }
                deps.limits().setForAccount(type, target.id(), stored);
            } else {
                Owners.DomainRef domain = owner.domain();
                if (domain.path().equals(DomainPaths.ROOT)) {
                    throw ApiException.permissionDenied("Cannot update resource limit for ROOT domain "
                            + domain.uuid() + ", permission denied");
                }
                if (caller.isDomainAdmin() && domain.id() == caller.domainId()) {
                    throw ApiException.permissionDenied("Unable to update resource limit for domain " + domain.uuid()
                            + ", permission denied");
                }
                String parent = Limits.parent(domain.path());
                long parentMax = deps.limits().ofDomain(type, parent);
                // -1 is allowed under a limited parent: the parent's limit still holds its subtree.
                if (parentMax != ResourceType.UNLIMITED && stored > parentMax) {
                    throw ApiException.invalidParameter("Domain " + DomainPaths.name(domain.path()) + "(id: "
                            + domain.uuid() + ") has maximum allowed resource limit " + type.toApi(parentMax) + " for "
                            + type.name() + ", please specify a value less that or equal to " + type.toApi(parentMax));
                }
                deps.limits().setForDomain(type, domain.id(), stored);
            }
            return ApiJson.object("resourcelimit", LimitView.of(owner, type, deps.limit(owner, type)));
        }
    }

    @Command(name = "updateResourceCount", description = "Recalculates the resource counts of an account or a domain:"
            + " rbdstack counts from the volumes and snapshots themselves, so they are always current.",
            access = Access.DOMAIN_ADMIN, response = "resourcecount",
            event = "RESOURCE.COUNT.UPDATE")
    record UpdateResourceCount(
            @Param(description = "If account parameter specified then updates resource counts for a specified account"
                    + " in this domain else update resource counts for all accounts & child domains in specified"
                    + " domain.", entity = Entity.DOMAIN) String domainId,
            @Param(description = "Update resource count for a specified account. Must be used with the domainId"
                    + " parameter.", column = "account.account_name") Optional<String> account,
            @Param(description = "Type of resource to update: 2 volume, 3 snapshot, 10 primary_storage, 11"
                    + " secondary_storage; all when absent", min = 0, max = 100) Optional<Integer> resourceType)
            implements SyncCommand<Deps> {

        @Override
        public ObjectNode execute(Caller caller, Deps deps) {
            Owner owner = deps.owner(caller, account, Optional.of(domainId));
            List<CountView> counts = types(resourceType, Optional.empty()).stream().map(type -> new CountView(
                    owner.account().map(Owners.AccountRef::name).orElse(null), owner.domain().uuid(),
                    DomainPaths.name(owner.domain().path()), DomainPaths.display(owner.domain().path()),
                    String.valueOf(type.number()), type.name(), deps.count(owner, type))).toList();
            return ApiJson.list("resourcecount", counts, counts.size());
        }
    }
}
