package io.rbdstack.server.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbdstack.server.api.Access;
import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.api.ApiJson;
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
    public record Deps(UserRepository users, PasswordHasher hasher, SecretCipher cipher) {
    }

    public static void register(CommandRegistry registry, Deps deps) {
        registry.register(CreateAccount.class, deps);
        registry.register(ListUsers.class, deps.users());
        registry.register(RegisterUserKeys.class, deps);
    }

    /** The keys registerUserKeys returns: the only time the secret key leaves the server. */
    public record UserKeys(String apikey, String secretkey) {
    }

    @Command(name = "createAccount", description = "Creates an account with its first user", access = Access.ADMIN,
            response = "account")
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
            response = "userkeys")
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
}
