package io.rbdstack.server.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbdstack.server.account.AccountViews;
import io.rbdstack.server.account.DomainPaths;
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
import io.rbdstack.server.auth.crypto.PasswordHasher;
import io.rbdstack.server.auth.crypto.SecretCipher;
import java.util.List;
import java.util.Optional;

/** createAccount, listUsers, registerUserKeys, createUser, updateUser, deleteUser, disableUser and enableUser. */
public final class AccountCommands {

    private static final long ROOT_DOMAIN_ID = 1;

    private AccountCommands() {
    }

    /** What the commands need. */
    public record Deps(UserRepository users, PasswordHasher hasher, SecretCipher cipher, SessionStore sessions,
                       AccountViews accounts, Owners owners) {

        /**
         * The user, if the caller may change it: itself; for admins, any user of an account they may manage
         * (a domain admin: of its domain subtree).
         */
        UserRepository.UserRow changeable(Caller caller, String uuid) {
            UserRepository.UserRow user = users.findRow(uuid).orElseThrow(() -> ApiException.invalidParameter(
                    "Unable to find user by id " + uuid + " (parameter id)"));
            boolean admin = caller.isRootAdmin() || caller.isDomainAdmin();
            if (user.id() != caller.userId()
                    && !(admin && caller.mayManage(user.accountId(), user.accountType(), user.domainPath()))) {
                throw ApiException.permissionDenied("Account " + caller.accountName()
                        + " does not have permission to change user " + uuid);
            }
            return user;
        }

        /** {@link #changeable}, but not the caller's own user (431: {@code verb} yourself). */
        UserRepository.UserRow changeableOther(Caller caller, String uuid, String verb) {
            UserRepository.UserRow user = changeable(caller, uuid);
            if (user.id() == caller.userId()) {
                throw ApiException.invalidParameter("You cannot " + verb + " your own user (parameter id)");
            }
            return user;
        }

        /** The live domain a command names, or the caller's when it names none. */
        Owners.DomainRef domain(Caller caller, Optional<String> domainId) {
            return domainId.map(uuid -> owners.domain(uuid).orElseThrow(() -> ApiException.invalidParameter(
                    "Unable to find domain by id " + uuid + " (parameter domainid)")))
                    .orElseGet(() -> new Owners.DomainRef(caller.domainId(), caller.domainUuid(), caller.domainPath()));
        }

        void refuseTakenUsername(String username, Owners.DomainRef domain) {
            if (users.usernameTaken(username, domain.id())) {
                throw ApiException.invalidParameter("The user " + username + " already exists in domain "
                        + DomainPaths.display(domain.path()));
            }
        }
    }

    public static void register(CommandRegistry registry, Deps deps) {
        registry.register(CreateAccount.class, deps);
        registry.register(ListUsers.class, deps);
        registry.register(CreateUser.class, deps);
        registry.register(DeleteUser.class, deps);
        registry.register(RegisterUserKeys.class, deps);
        registry.register(UpdateUser.class, deps);
        registry.register(DisableUser.class, deps);
        registry.register(EnableUser.class, deps);
    }

    /** The keys registerUserKeys returns: the only time the secret key leaves the server. */
    public record UserKeys(String apikey, String secretkey) {
    }

    @Command(name = "createAccount", description = "Creates an account with its first user",
            access = Access.DOMAIN_ADMIN, response = "account", event = "ACCOUNT.CREATE")
    record CreateAccount(
            UserParams user,
            @Param(description = "Type of the account: 0 user, 1 root admin (in ROOT only, by root admins), 2 domain"
                    + " admin", min = 0, max = 2) Optional<Integer> accountType,
            @Param(description = "account name; defaults to the username", column = "account.account_name")
            Optional<String> account,
            @Param(description = "Creates the user under the specified domain; the caller's domain when absent",
                    entity = Entity.DOMAIN, acl = true) Optional<String> domainId,
            @Param(description = "Network domain for the account's networks", column = "account.network_domain")
            Optional<String> networkDomain) implements SyncCommand<Deps> {

        @Override
        public ObjectNode execute(Caller caller, Deps deps) {
            UserRepository users = deps.users();
            int type = accountType.orElse(Caller.TYPE_USER);
            Owners.DomainRef domain = deps.domain(caller, domainId);
            if (type == Caller.TYPE_ADMIN && (!caller.isRootAdmin() || domain.id() != ROOT_DOMAIN_ID)) {
                throw ApiException.invalidParameter("Invalid account type " + type + " given for an account in domain "
                        + DomainPaths.display(domain.path()) + "; root admin accounts are made by root admins, in the"
                        + " ROOT domain only (parameter accounttype)");
            }
            deps.refuseTakenUsername(user.username(), domain);
            String accountName = account.map(String::trim).filter(a -> !a.isEmpty()).orElse(user.username());
            if (deps.accounts().accounts().nameTaken(domain.id(), accountName)) {
                throw ApiException.invalidParameter("The account " + accountName + " already exists in domain "
                        + DomainPaths.display(domain.path()));
            }
            long userId;
            try {
                userId = users.createAccountWithUser(new UserRepository.NewAccount(accountName, type, domain.id(),
                        networkDomain.orElse(null)), user.newUser(deps.hasher()));
            } catch (ApiException e) {
                throw e;
            } catch (Exception e) {
                throw ApiException.internal("Cannot create account " + accountName, e);
            }
            Caller created = users.findActiveCaller(userId).orElseThrow();
            return ApiJson.object("account", deps.accounts().view(created.accountUuid()));
        }
    }

    @Command(name = "listUsers", description = "Lists user accounts", access = Access.USER, response = "user")
    record ListUsers(@Param(description = "List user by ID", entity = Entity.USER) Optional<String> id,
                     @Param(description = "List user by the username", column = "user.username") Optional<String> username,
                     @Param(description = "List users by state of the user account.") Optional<String> state,
                     @Param(description = "List by keyword") Optional<String> keyword,
                     OwnerParams owner,
                     PageParams page) implements SyncCommand<Deps> {

        @Override
        public ObjectNode execute(Caller caller, Deps deps) {
            UserRepository.UserFilter filter = new UserRepository.UserFilter(owner.scope(caller, deps.owners(), true),
                    id, username, state, keyword);
            return ApiJson.list("user", deps.users().listUsers(filter, page.sql()), deps.users().countUsers(filter));
        }
    }

    @Command(name = "createUser", description = "Creates a user for an account that already exists",
            access = Access.DOMAIN_ADMIN, response = "user",
            event = "USER.CREATE")
    record CreateUser(
            UserParams user,
            @Param(description = "Creates the user under the specified account. If no account is specified, the"
                    + " username will be used as the account name.", column = "account.account_name") String account,
            @Param(description = "Creates the user under the specified domain. Has to be accompanied with the account"
                    + " parameter", entity = Entity.DOMAIN) Optional<String> domainId) implements SyncCommand<Deps> {

        @Override
        public ObjectNode execute(Caller caller, Deps deps) {
            Owners.DomainRef domain = deps.domain(caller, domainId);
            Owners.AccountRef target = deps.owners().account(account, domain.id()).orElseThrow(() ->
                    ApiException.invalidParameter("Unable to find account " + account + " in domain "
                            + DomainPaths.display(domain.path()) + " (parameter account)"));
            if (!caller.mayManage(target.id(), target.type(), domain.path())) {
                throw ApiException.permissionDenied("Account " + caller.accountName()
                        + " does not have permission to add users to account " + account);
            }
            deps.refuseTakenUsername(user.username(), domain);
            long userId = deps.users().createUser(target.id(), user.newUser(deps.hasher()));
            return ApiJson.object("user", deps.users().view(deps.users().uuidOf(userId)));
        }
    }

    @Command(name = "deleteUser", description = "Deletes a user for an account: its sessions end and its API keys stop"
            + " working.", access = Access.DOMAIN_ADMIN, response = "success",
            event = "USER.DELETE")
    record DeleteUser(@Param(description = "id of the user to be deleted", entity = Entity.USER) String id)
            implements SyncCommand<Deps> {

        @Override
        public ObjectNode execute(Caller caller, Deps deps) {
            UserRepository.UserRow user = deps.changeableOther(caller, id, "delete");
            deps.users().remove(user.id());
            deps.sessions().endSessionsOf(user.id());
            return ApiJson.success();
        }
    }

    @Command(name = "registerUserKeys", description = "This command allows a user to register for the developer API,"
            + " returning a secret key and an API key. The secret key is shown only here.", access = Access.USER,
            response = "userkeys", event = "REGISTER.USER.KEY")
    record RegisterUserKeys(@Param(description = "User id", entity = Entity.USER) String id)
            implements SyncCommand<Deps> {

        @Override
        public ObjectNode execute(Caller caller, Deps deps) {
            long userId = deps.changeable(caller, id).id();
            String apiKey = SecretCipher.newApiKey();
            String secretKey = SecretCipher.newSecretKey();
            deps.users().setApiKeys(userId, apiKey, deps.cipher().encrypt(secretKey));
            return ApiJson.object("userkeys", new UserKeys(apiKey, secretKey));
        }
    }

    @Command(name = "updateUser", description = "Updates a user account. A new password ends the user's sessions.",
            access = Access.USER, response = "user", event = "USER.UPDATE")
    record UpdateUser(
            @Param(description = "User uuid", entity = Entity.USER) String id,
            @Param(description = "Unique username", column = "user.username") Optional<String> username,
            @Param(description = "Clear text password (the server hashes it)") Optional<String> password,
            @Param(description = "The current password; required when users change their own password")
            Optional<String> currentPassword,
            @Param(description = "first name", column = "user.firstname") Optional<String> firstName,
            @Param(description = "last name", column = "user.lastname") Optional<String> lastName,
            @Param(description = "email", column = "user.email") Optional<String> email) implements SyncCommand<Deps> {

        @Override
        public ObjectNode execute(Caller caller, Deps deps) {
            UserRepository.UserRow user = deps.changeable(caller, id);
            if (password.isPresent() && !caller.isRootAdmin() && (currentPassword.isEmpty()
                    || !deps.hasher().matches(currentPassword.get().toCharArray(), user.passwordHash()))) {
                throw ApiException.invalidParameter("Give your current password to change it (parameter"
                        + " currentpassword)");
            }
            Optional<String> newName = username.map(String::trim).filter(n -> !n.equals(user.username()));
            if (newName.isPresent() && (newName.get().isEmpty()
                    || deps.users().usernameTaken(newName.get(), user.domainId()))) {
                throw ApiException.invalidParameter("Invalid value for parameter username: "
                        + (newName.get().isEmpty() ? "a user needs a name" : "the user " + newName.get()
                        + " already exists in the domain"));
            }
            deps.users().update(user.id(), new UserRepository.UserUpdate(newName,
                    password.map(p -> deps.hasher().hash(p.toCharArray())), firstName, lastName, email));
            if (password.isPresent()) {
                deps.sessions().endSessionsOf(user.id());
            }
            return ApiJson.object("user", deps.users().view(user.uuid()));
        }
    }

    @Command(name = "disableUser", description = "Disables a user account: it can no longer log in or call the API,"
            + " and its sessions end.", access = Access.DOMAIN_ADMIN, response = "user", event = "USER.DISABLE")
    record DisableUser(@Param(description = "Disables user by user ID", entity = Entity.USER) String id)
            implements AsyncCommand<Deps> {

        @Override
        public AsyncStart start(Caller caller, Deps deps) {
            UserRepository.UserRow user = deps.changeableOther(caller, id, "disable");
            return new AsyncStart("User", user.uuid(), progress -> {
                deps.users().setEnabled(user.id(), false);
                deps.sessions().endSessionsOf(user.id());
                return ApiJson.object("user", deps.users().view(user.uuid()));
            });
        }
    }

    @Command(name = "enableUser", description = "Enables a user account, also one disabled after too many failed"
            + " logins.", access = Access.DOMAIN_ADMIN, response = "user", event = "USER.ENABLE")
    record EnableUser(@Param(description = "Enables user by user ID", entity = Entity.USER) String id)
            implements SyncCommand<Deps> {

        @Override
        public ObjectNode execute(Caller caller, Deps deps) {
            UserRepository.UserRow user = deps.changeable(caller, id);
            deps.users().setEnabled(user.id(), true);
            return ApiJson.object("user", deps.users().view(user.uuid()));
        }
    }
}
