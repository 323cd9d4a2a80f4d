package io.rbdstack.server.auth;

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
import io.rbdstack.server.auth.crypto.PasswordHasher;
import io.rbdstack.server.auth.crypto.SecretCipher;
import java.util.List;
import java.util.Optional;

/** createAccount, listUsers and registerUserKeys. */
public final class AccountCommands {

    private static final long ROOT_DOMAIN_ID = 1;

    private AccountCommands() {
    }

    /** What the commands need. */
    public record Deps(UserRepository users, PasswordHasher hasher, SecretCipher cipher, SessionStore sessions) {

        /** The user, if the caller may change it: itself, or anyone for a root admin. */
        UserRepository.UserRow changeable(Caller caller, String uuid) {
            UserRepository.UserRow user = users.findRow(uuid).orElseThrow(() -> ApiException.invalidParameter(
                    "Unable to find user by id " + uuid + " (parameter id)"));
            if (user.id() != caller.userId() && !caller.isRootAdmin()) {
                throw ApiException.permissionDenied("Account " + caller.accountName()
                        + " does not have permission to change user " + uuid);
            }
            return user;
        }
    }

    public static void register(CommandRegistry registry, Deps deps) {
        registry.register(CreateAccount.class, deps);
        registry.register(ListUsers.class, deps.users());
        registry.register(RegisterUserKeys.class, deps);
        registry.register(UpdateUser.class, deps);
        registry.register(DisableUser.class, deps);
        registry.register(EnableUser.class, deps);
    }

    /** The keys registerUserKeys returns: the only time the secret key leaves the server. */
    public record UserKeys(String apikey, String secretkey) {
    }

    @Command(name = "createAccount", description = "Creates an account with its first user", access = Access.ADMIN,
            response = "account", event = "ACCOUNT.CREATE")
    record CreateAccount(
            @Param(description = "Unique username", column = "user.username") String username,
            @Param(description = "Clear text password of the user") String password,
            @Param(description = "email", column = "user.email") String email,
            @Param(description = "firstname", column = "user.firstname") String firstName,
            @Param(description = "lastname", column = "user.lastname") String lastName,
            @Param(description = "0 user, 1 root admin (domain admins come with domains)", min = 0, max = 1)
            Optional<Integer> accountType,
            @Param(description = "account name; defaults to the username", column = "account.account_name")
            Optional<String> account) implements SyncCommand<Deps> {

        @Override
        public ObjectNode execute(Caller caller, Deps deps) {
            UserRepository users = deps.users();
            int type = accountType.orElse(Caller.TYPE_USER);
            if (users.usernameTaken(username, ROOT_DOMAIN_ID)) {
                throw ApiException.invalidParameter("The user " + username + " already exists in domain ROOT");
            }
            String accountName = account.orElse(username);
            long userId;
            try {
                userId = users.createAccountWithUser(accountName, type, ROOT_DOMAIN_ID, username,
                        deps.hasher().hash(password.toCharArray()), firstName, lastName, email);
            } catch (ApiException e) {
                throw e;
            } catch (Exception e) {
                throw ApiException.internal("Cannot create account " + accountName, e);
            }
            Caller created = users.findActiveCaller(userId).orElseThrow();
            UserRepository.UserView user = users.listUsers(created, Optional.of(created.userUuid()), "").get(0);
            ObjectNode view = ApiJson.MAPPER.createObjectNode();
            view.put("id", created.accountUuid());
            view.put("name", created.accountName());
            view.put("accounttype", type);
            view.put("roletype", created.roleType());
            view.put("domainid", created.domainUuid());
            view.put("domain", "ROOT");
            view.put("state", "enabled");
            view.set("user", ApiJson.MAPPER.valueToTree(List.of(user)));
            ObjectNode body = ApiJson.MAPPER.createObjectNode();
            body.set("account", view);
            return body;
        }
    }

    @Command(name = "listUsers", description = "Lists user accounts", access = Access.USER, response = "user")
    record ListUsers(@Param(description = "List user by ID", entity = Entity.USER) Optional<String> id,
                     PageParams page) implements SyncCommand<UserRepository> {

        @Override
        public ObjectNode execute(Caller caller, UserRepository users) {
            return ApiJson.list("user", users.listUsers(caller, id, page.sql()), users.countUsers(caller, id));
        }
    }

    @Command(name = "registerUserKeys", description = "This command allows a user to register for the developer API,"
            + " returning a secret key and an API key. The secret key is shown only here.", access = Access.USER,
            response = "userkeys", event = "REGISTER.USER.KEY")
    record RegisterUserKeys(@Param(description = "User id", entity = Entity.USER) String id)
            implements SyncCommand<Deps> {

        @Override
        public ObjectNode execute(Caller caller, Deps deps) {
            long userId = deps.users().userIdByUuid(id).orElseThrow(() -> ApiException.invalidParameter(
                    "Unable to find user by id " + id + " (parameter id)"));
            if (userId != caller.userId() && !caller.isRootAdmin()) {
                throw ApiException.permissionDenied("Caller " + caller.username() + " may not register keys for user " + id);
            }
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
            + " and its sessions end.", access = Access.ADMIN, response = "user", event = "USER.DISABLE")
    record DisableUser(@Param(description = "Disables user by user ID", entity = Entity.USER) String id)
            implements AsyncCommand<Deps> {

        @Override
        public AsyncStart start(Caller caller, Deps deps) {
            UserRepository.UserRow user = deps.changeable(caller, id);
            if (user.id() == caller.userId()) {
                throw ApiException.invalidParameter("You cannot disable your own user (parameter id)");
            }
            return new AsyncStart("User", user.uuid(), progress -> {
                deps.users().setEnabled(user.id(), false);
                deps.sessions().endSessionsOf(user.id());
                return ApiJson.object("user", deps.users().view(user.uuid()));
            });
        }
    }

    @Command(name = "enableUser", description = "Enables a user account, also one disabled after too many failed"
            + " logins.", access = Access.ADMIN, response = "user", event = "USER.ENABLE")
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
