package io.rbdstack.server.account;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbdstack.server.api.Access;
import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.api.AsyncCommand;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.api.Command;
import io.rbdstack.server.api.CommandRegistry;
import io.rbdstack.server.api.Entity;
import io.rbdstack.server.api.OwnerParams;
import io.rbdstack.server.api.Owners;
import io.rbdstack.server.api.PageParams;
import io.rbdstack.server.api.Param;
import io.rbdstack.server.api.SyncCommand;
import io.rbdstack.server.auth.SessionStore;
import java.util.Optional;

/** listAccounts, updateAccount, disableAccount, enableAccount, lockAccount and deleteAccount. */
public final class AccountLifecycleCommands {

    private AccountLifecycleCommands() {
    }

    /** What the commands need. */
    public record Deps(AccountViews views, Owners owners, SessionStore sessions, AccountDeletion deletion) {

        AccountRepository accounts() {
            return views.accounts();
        }

        /**
         * The account a command names by {@code id}, or by {@code account} name in {@code domainid} (the caller's
         * domain when absent), if the caller may manage it (an id was checked when it was bound).
         */
        AccountRepository.AccountRow target(Caller caller, Optional<String> id, Optional<String> account,
                                            Optional<String> domainId) {
            if (id.isPresent()) {
                // The binder checked mayAccess; a root admin's account needs more than that.
                return managed(caller, accounts().find(id.get()).orElseThrow(() -> ApiException.invalidParameter(
                        "Unable to find account by id " + id.get() + " (parameter id); it may have been deleted")));
            }
            String name = account.orElseThrow(() -> ApiException.invalidParameter("Give the account's id (parameter id)"
                    + " or its name (parameter account) and domain (parameter domainid)"));
            long domain = domainId.map(uuid -> owners.domain(uuid).orElseThrow(() -> ApiException.invalidParameter(
                    "Unable to find domain by id " + uuid + " (parameter domainid)")).id()).orElse(caller.domainId());
            AccountRepository.AccountRow row = owners.account(name, domain).flatMap(a -> accounts().findById(a.id()))
                    .orElseThrow(() -> ApiException.invalidParameter("Unable to find account by name " + name
                            + " in domain " + domainId.orElse(caller.domainUuid()) + " (parameter account)"));
            return managed(caller, row);
        }

        private static AccountRepository.AccountRow managed(Caller caller, AccountRepository.AccountRow row) {
            if (!caller.mayManage(row.id(), row.type(), row.domainPath())) {
                throw ApiException.permissionDenied("Account " + caller.accountName()
                        + " does not have permission to operate on account " + row.name());
            }
            return row;
        }

        /** Refuses changing the caller's own account or the root admin's default one in this way. */
        static void notOwnNorDefault(Caller caller, AccountRepository.AccountRow account, String verb) {
            if (account.id() == caller.accountId()) {
                throw ApiException.invalidParameter("You cannot " + verb + " your own account " + account.name());
            }
            if (account.isDefault()) {
                throw ApiException.invalidParameter("You cannot " + verb + " the default admin account "
                        + account.name());
            }
        }

        ObjectNode account(AccountRepository.AccountRow row) {
            return ApiJson.object("account", views.view(row.uuid()));
        }
    }

    public static void register(CommandRegistry registry, Deps deps) {
        registry.register(ListAccounts.class, deps);
        registry.register(UpdateAccount.class, deps);
        registry.register(DisableAccount.class, deps);
        registry.register(EnableAccount.class, deps);
        registry.register(LockAccount.class, deps);
        registry.register(DeleteAccount.class, deps);
    }

    @Command(name = "listAccounts", description = "Lists accounts and provides detailed account information for listed"
            + " accounts", access = Access.USER, response = "account")
    record ListAccounts(
            @Param(description = "list account by account ID", entity = Entity.ACCOUNT, acl = true) Optional<String> id,
            @Param(description = "list account by account name", column = "account.account_name") Optional<String> name,
            @Param(description = "list accounts by account type. Valid account types are 1 (admin), 2 (domain-admin),"
                    + " and 0 (user).", min = 0, max = 2) Optional<Integer> accountType,
            @Param(description = "list accounts by state. Valid states are enabled, disabled, and locked.")
            Optional<String> state,
            @Param(description = "List by keyword") Optional<String> keyword,
            OwnerParams owner,
            PageParams page) implements SyncCommand<Deps> {

        @Override
        public ObjectNode execute(Caller caller, Deps deps) {
            AccountRepository.Filter filter = new AccountRepository.Filter(owner.scope(caller, deps.owners(), true), id,
                    name, accountType, state, keyword);
            return ApiJson.list("account", deps.views().views(deps.accounts().list(filter, page.sql())),
                    deps.accounts().count(filter));
        }
    }

    @Command(name = "updateAccount", description = "Updates account information for the authenticated user",
            access = Access.DOMAIN_ADMIN, response = "account",
            event = "ACCOUNT.UPDATE")
    record UpdateAccount(
            @Param(description = "Account UUID", entity = Entity.ACCOUNT, acl = true) Optional<String> id,
            @Param(description = "the current account name", column = "account.account_name") Optional<String> account,
            @Param(description = "the UUID of the domain where the account exists", entity = Entity.DOMAIN)
            Optional<String> domainId,
            @Param(description = "new name for the account", column = "account.account_name") Optional<String> newName,
            @Param(description = "Network domain for the account's networks", column = "account.network_domain")
            Optional<String> networkDomain) implements SyncCommand<Deps> {

        @Override
        public ObjectNode execute(Caller caller, Deps deps) {
            AccountRepository.AccountRow row = deps.target(caller, id, account, domainId);
            Optional<String> rename = newName.map(String::trim).filter(n -> !n.equals(row.name()));
            if (rename.isPresent() && (rename.get().isEmpty()
                    || deps.accounts().nameTaken(row.domainId(), rename.get()))) {
                throw ApiException.invalidParameter("Invalid value for parameter newname: " + (rename.get().isEmpty()
                        ? "an account needs a name" : "the account " + rename.get() + " already exists in domain "
                        + row.domainName()));
            }
            deps.accounts().update(row.id(), rename, networkDomain);
            return deps.account(row);
        }
    }

    @Command(name = "disableAccount", description = "Disables an account: its users can no longer log in or call the"
            + " API, and their sessions end.", access = Access.DOMAIN_ADMIN, response = "account",
            event = "ACCOUNT.DISABLE")
    record DisableAccount(
            @Param(description = "Account id", entity = Entity.ACCOUNT, acl = true) Optional<String> id,
            @Param(description = "Disables specified account.", column = "account.account_name") Optional<String> account,
            @Param(description = "Disables specified account in this domain.", entity = Entity.DOMAIN)
            Optional<String> domainId,
            @Param(description = "If true, only lock the account; else disable the account") Boolean lock)
            implements AsyncCommand<Deps> {

        @Override
        public AsyncStart start(Caller caller, Deps deps) {
            AccountRepository.AccountRow row = deps.target(caller, id, account, domainId);
            Deps.notOwnNorDefault(caller, row, lock ? "lock" : "disable");
            return new AsyncStart("Account", row.uuid(), progress -> {
                deps.accounts().state(row.id(), lock ? AccountRepository.LOCKED : AccountRepository.DISABLED);
                deps.sessions().endSessionsOfAccount(row.id());
                return deps.account(row);
            });
        }
    }

    @Command(name = "enableAccount", description = "Enables an account", access = Access.DOMAIN_ADMIN,
            response = "account",
            event = "ACCOUNT.ENABLE")
    record EnableAccount(
            @Param(description = "Account id", entity = Entity.ACCOUNT, acl = true) Optional<String> id,
            @Param(description = "Enables specified account.", column = "account.account_name") Optional<String> account,
            @Param(description = "Enables specified account in this domain.", entity = Entity.DOMAIN)
            Optional<String> domainId) implements SyncCommand<Deps> {

        @Override
        public ObjectNode execute(Caller caller, Deps deps) {
            AccountRepository.AccountRow row = deps.target(caller, id, account, domainId);
            deps.accounts().state(row.id(), AccountRepository.ENABLED);
            return deps.account(row);
        }
    }

    @Command(name = "lockAccount", description = "This deprecated function used to locks an account. Look for the API"
            + " DisableAccount instead", access = Access.DOMAIN_ADMIN, response = "account",
            event = "ACCOUNT.LOCK")
    record LockAccount(
            @Param(description = "Locks the specified account.", column = "account.account_name") String account,
            @Param(description = "Locks the specified account on this domain.", entity = Entity.DOMAIN) String domainId)
            implements SyncCommand<Deps> {

        @Override
        public ObjectNode execute(Caller caller, Deps deps) {
            AccountRepository.AccountRow row = deps.target(caller, Optional.empty(), Optional.of(account),
                    Optional.of(domainId));
            Deps.notOwnNorDefault(caller, row, "lock");
            deps.accounts().state(row.id(), AccountRepository.LOCKED);
            deps.sessions().endSessionsOfAccount(row.id());
            return deps.account(row);
        }
    }

    @Command(name = "deleteAccount", description = "Deletes an account and all its volumes and snapshots (refused"
            + " while one of them is in the middle of an operation).", access = Access.DOMAIN_ADMIN,
            response = "success",
            event = "ACCOUNT.DELETE")
    record DeleteAccount(@Param(description = "Account id", entity = Entity.ACCOUNT, acl = true) String id)
            implements AsyncCommand<Deps> {

        @Override
        public AsyncStart start(Caller caller, Deps deps) {
            AccountRepository.AccountRow row = deps.target(caller, Optional.of(id), Optional.empty(), Optional.empty());
            Deps.notOwnNorDefault(caller, row, "delete");
            deps.deletion().begin(row);
            return new AsyncStart("Account", row.uuid(), progress -> {
                deps.deletion().delete(row);
                return ApiJson.success();
            });
        }
    }
}
