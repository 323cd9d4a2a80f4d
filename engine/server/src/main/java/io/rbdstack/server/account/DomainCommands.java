package io.rbdstack.server.account;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbdstack.server.api.Access;
import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.api.AsyncCommand;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.api.Command;
import io.rbdstack.server.api.CommandRegistry;
import io.rbdstack.server.api.Entity;
import io.rbdstack.server.api.PageParams;
import io.rbdstack.server.api.Param;
import io.rbdstack.server.api.SyncCommand;
import io.rbdstack.server.db.Dependents;
import io.rbdstack.server.limit.ResourceSummaries;
import io.rbdstack.server.limit.ResourceSummary;
import java.util.List;
import java.util.Optional;

/** listDomains, createDomain, updateDomain and deleteDomain. */
public final class DomainCommands {

    private DomainCommands() {
    }

    /** What the commands need. */
    public record Deps(DomainRepository domains, AccountRepository accounts, AccountDeletion deletion,
                       ResourceSummaries summaries, io.rbdstack.server.db.Jdbc jdbc) {

        DomainView view(DomainRepository.DomainRow row) {
            return DomainView.of(row, summaries.ofDomain(row.path()));
        }

        DomainRepository.DomainRow domain(String uuid, String param) {
            return domains.find(uuid).orElseThrow(() -> ApiException.invalidParameter("Unable to find domain by id "
                    + uuid + " (parameter " + param + "); it may have been deleted"));
        }
    }

    public static void register(CommandRegistry registry, Deps deps) {
        registry.register(ListDomains.class, deps);
        registry.register(CreateDomain.class, deps);
        registry.register(UpdateDomain.class, deps);
        registry.register(DeleteDomain.class, deps);
    }

    /** A domain as CloudStack's domain commands show it, with its resource limits, totals and what is available. */
    public record DomainView(String id, String name, int level, String parentdomainid, String parentdomainname,
                             boolean haschild, String path, String state, String created, String networkdomain,
                             @JsonUnwrapped ResourceSummary resources) {

        static DomainView of(DomainRepository.DomainRow row, ResourceSummary resources) {
            return new DomainView(row.uuid(), row.name(), DomainPaths.level(row.path()), row.parentUuid(),
                    row.parentName(), row.hasChild(), DomainPaths.display(row.path()), row.state(),
                    ApiJson.date(row.created()), row.networkDomain(), resources);
        }
    }

    /** A domain admin administers the domains below its own, not its own (its scope) nor ROOT. */
    static void mayChange(Caller caller, DomainRepository.DomainRow domain, String verb) {
        if (domain.id() == DomainRepository.ROOT_ID) {
            throw ApiException.invalidParameter("The ROOT domain cannot be " + verb);
        }
        if (!caller.isRootAdmin() && domain.id() == caller.domainId()) {
            throw ApiException.permissionDenied("A domain admin cannot have its own domain " + domain.name() + " "
                    + verb);
        }
    }

    @Command(name = "listDomains", description = "Lists domains and provides detailed information for listed domains",
            access = Access.DOMAIN_ADMIN, response = "domain")
    record ListDomains(
            @Param(description = "List domain by domain ID.", entity = Entity.DOMAIN, acl = true) Optional<String> id,
            @Param(description = "List domain by domain name.", column = "domain.name") Optional<String> name,
            @Param(description = "List domains by domain level.", min = 0, max = 128) Optional<Integer> level,
            @Param(description = "List by keyword") Optional<String> keyword,
            @Param(description = "If set to false, list only the caller's domain; if true, every domain it may see.")
            Optional<Boolean> listAll,
            PageParams page) implements SyncCommand<Deps> {

        @Override
        public ObjectNode execute(Caller caller, Deps deps) {
            DomainRepository.Filter filter = new DomainRepository.Filter(id, name, level, keyword, caller.domainPath(),
                    listAll.orElse(false) || id.isPresent());
            List<DomainView> views = deps.domains().list(filter, page.sql()).stream().map(deps::view).toList();
            return ApiJson.list("domain", views, deps.domains().count(filter));
        }
    }

    @Command(name = "createDomain", description = "Creates a domain", access = Access.DOMAIN_ADMIN, response = "domain",
            event = "DOMAIN.CREATE")
    record CreateDomain(
            @Param(description = "creates domain with this name", column = "domain.name") String name,
            @Param(description = "assigns new domain a parent domain by domain ID of the parent; the caller's domain"
                    + " (ROOT for root admins) when absent", entity = Entity.DOMAIN, acl = true)
            Optional<String> parentDomainId,
            @Param(description = "Network domain for networks in the domain", column = "domain.network_domain")
            Optional<String> networkDomain) implements SyncCommand<Deps> {

        @Override
        public ObjectNode execute(Caller caller, Deps deps) {
            String trimmed = validName(name, "name");
            DomainRepository.DomainRow parent = deps.domain(parentDomainId.orElse(caller.domainUuid()), "parentdomainid");
            String path = DomainPaths.child(parent.path(), trimmed);
            if (path.length() > Param.DEFAULT_LENGTH) {
                throw ApiException.invalidParameter("Invalid value for parameter name: the domain's path " + path
                        + " would be longer than " + Param.DEFAULT_LENGTH + " characters");
            }
            if (deps.domains().pathTaken(path)) {
                throw ApiException.invalidParameter("Domain with name " + trimmed + " already exists for the parent id="
                        + parent.uuid());
            }
            String uuid = deps.domains().create(parent, trimmed, networkDomain.orElse(null));
            return ApiJson.object("domain", deps.view(deps.domains().find(uuid).orElseThrow()));
        }
    }

    @Command(name = "updateDomain", description = "Updates a domain with a new name", access = Access.DOMAIN_ADMIN,
            response = "domain",
            event = "DOMAIN.UPDATE")
    record UpdateDomain(
            @Param(description = "ID of domain to update", entity = Entity.DOMAIN, acl = true) String id,
            @Param(description = "updates domain with this name", column = "domain.name") Optional<String> name,
            @Param(description = "Network domain for the domain's networks", column = "domain.network_domain")
            Optional<String> networkDomain) implements SyncCommand<Deps> {

        @Override
        public ObjectNode execute(Caller caller, Deps deps) {
            DomainRepository.DomainRow domain = deps.domain(id, "id");
            Optional<String> rename = name.map(n -> validName(n, "name")).filter(n -> !n.equals(domain.name()));
            if (rename.isPresent()) {
                mayChange(caller, domain, "renamed");
                String parentPath = domain.path().substring(0, domain.path().length() - domain.name().length() - 1);
                String path = DomainPaths.child(parentPath, rename.get());
                if (deps.domains().pathTaken(path)) {
                    throw ApiException.invalidParameter("Domain with name " + rename.get()
                            + " already exists for the parent id=" + domain.parentUuid());
                }
                if (deps.domains().subtreeDeepestFirst(domain.path()).stream().anyMatch(d ->
                        d.path().length() - domain.path().length() + path.length() > Param.DEFAULT_LENGTH)) {
                    throw ApiException.invalidParameter("Invalid value for parameter name: a path in the domain would"
                            + " be longer than " + Param.DEFAULT_LENGTH + " characters");
                }
                deps.domains().rename(domain, rename.get());
            }
            networkDomain.ifPresent(value -> {
                mayChange(caller, domain, "changed");
                deps.domains().networkDomain(domain.id(), value);
            });
            return ApiJson.object("domain", deps.view(deps.domain(id, "id")));
        }
    }

    @Command(name = "deleteDomain", description = "Deletes a specified domain; with cleanup=true also its accounts"
            + " (with their volumes and snapshots) and the domains below it.", access = Access.DOMAIN_ADMIN,
            response = "success",
            event = "DOMAIN.DELETE")
    record DeleteDomain(
            @Param(description = "ID of domain to delete", entity = Entity.DOMAIN, acl = true) String id,
            @Param(description = "true if all domain resources (child domains, accounts) have to be cleaned up,"
                    + " false otherwise") Optional<Boolean> cleanup) implements AsyncCommand<Deps> {

        @Override
        public AsyncStart start(Caller caller, Deps deps) {
            DomainRepository.DomainRow domain = deps.domain(id, "id");
            mayChange(caller, domain, "deleted");
            if (!cleanup.orElse(false)) {
                DomainRepository.guestNetworks(new Dependents(deps.jdbc())
                        .rows("account(s)", "account", "account_name", "domain_id = ?", domain.id())
                        .rows("domain(s)", "domain", "name", "parent = ?", domain.id()), domain.path())
                        .refuseDeleting("domain", domain.name());
                return new AsyncStart("Domain", domain.uuid(), progress -> {
                    deps.domains().delete(domain);
                    return ApiJson.success();
                });
            }
            List<AccountRepository.AccountRow> accounts = deps.accounts().inSubtree(domain.path());
            if (accounts.stream().anyMatch(a -> a.id() == caller.accountId())) {
                throw ApiException.invalidParameter("You cannot delete domain " + domain.name()
                        + " with your own account in it");
            }
            // cleanup deletes accounts and domains, not the networks serving them: those go first, by deleteNetwork
            DomainRepository.guestNetworks(new Dependents(deps.jdbc()), domain.path())
                    .refuseDeleting("domain", domain.name());
            accounts.forEach(deps.deletion()::refuseIfBusy);
            accounts.forEach(deps.deletion()::begin);
            return new AsyncStart("Domain", domain.uuid(), progress -> {
                accounts.forEach(deps.deletion()::delete);
                deps.domains().subtreeDeepestFirst(domain.path()).forEach(deps.domains()::delete);
                return ApiJson.success();
            });
        }
    }

    private static String validName(String name, String param) {
        String trimmed = name.trim();
        if (trimmed.isEmpty() || trimmed.contains("/")) {
            throw ApiException.invalidParameter("Invalid value for parameter " + param + ": a domain name is not empty"
                    + " and has no '/'");
        }
        return trimmed;
    }
}
