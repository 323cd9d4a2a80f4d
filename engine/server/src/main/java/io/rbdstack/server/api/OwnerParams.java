package io.rbdstack.server.api;

import java.util.Optional;

/**
 * The parameters by which CloudStack's list commands choose whose rows to show ({@code account},
 * {@code domainid}, {@code isrecursive}, {@code listall}), and how they choose: a user sees its own
 * account's; an admin sees one account's, one domain's (and below, with isrecursive), or with listall
 * everything in its own domain subtree, and otherwise its own account's.
 */
@ParamGroup
public record OwnerParams(
        @Param(description = "list resources by account. Must be used with the domainId parameter.",
                column = "account.account_name") Optional<String> account,
        @Param(description = "list only resources belonging to the domain specified", entity = Entity.DOMAIN)
        Optional<String> domainId,
        @Param(description = "defaults to false, but if true, lists all resources from the parent specified by the"
                + " domainId till leaves.") Optional<Boolean> isRecursive,
        @Param(description = "If set to false, list only resources belonging to the command's caller; if set to true"
                + " - list resources that the caller is authorized to see. Default value is false")
        Optional<Boolean> listAll) {

    /**
     * @param adminsSeeTheirSubtree whether an admin asking for nothing in particular sees its whole domain
     *                              subtree (listAccounts, or any list by id) rather than its own account's
     */
    public ListScope scope(Caller caller, Owners owners, boolean adminsSeeTheirSubtree) {
        Optional<Owners.DomainRef> domain = domainId.map(uuid -> owners.domain(uuid).orElseThrow(() ->
                ApiException.invalidParameter("Unable to find domain by id " + uuid + " (parameter domainid)")));
        // A user may name its own domain (its rows are still only its own); an admin any domain it manages.
        if (domain.isPresent() && !caller.managesDomain(domain.get().path())
                && domain.get().id() != caller.domainId()) {
            throw ApiException.permissionDenied("Account " + caller.accountName()
                    + " does not have permission to operate on domain " + domain.get().uuid());
        }
        if (account.isPresent()) {
            Owners.DomainRef in = domain.orElseGet(() -> caller.isRootAdmin() || caller.isDomainAdmin()
                    ? callerDomain(caller) : null);
            if (in == null) {
                return own(caller, account.get());
            }
            Owners.AccountRef found = owners.account(account.get(), in.id()).orElseThrow(() ->
                    ApiException.invalidParameter("Unable to find account " + account.get() + " in domain " + in.uuid()
                            + " (parameter account)"));
            if (!caller.mayManage(found.id(), found.type(), in.path())) {
                throw ApiException.permissionDenied("Account " + caller.accountName()
                        + " does not have permission to operate on account " + account.get());
            }
            return ListScope.account(found.id());
        }
        if (!caller.isRootAdmin() && !caller.isDomainAdmin()) {
            return ListScope.account(caller.accountId());
        }
        if (domain.isPresent()) {
            return ListScope.domain(domain.get().id(), domain.get().path(), isRecursive.orElse(false));
        }
        if (listAll.orElse(false) || adminsSeeTheirSubtree) {
            return ListScope.domain(caller.domainId(), caller.domainPath(), true);
        }
        return ListScope.account(caller.accountId());
    }

    private static ListScope own(Caller caller, String accountName) {
        if (!accountName.equals(caller.accountName())) {
            throw ApiException.permissionDenied("Account " + caller.accountName()
                    + " does not have permission to operate on account " + accountName);
        }
        return ListScope.account(caller.accountId());
    }

    private static Owners.DomainRef callerDomain(Caller caller) {
        return new Owners.DomainRef(caller.domainId(), caller.domainUuid(), caller.domainPath());
    }
}
