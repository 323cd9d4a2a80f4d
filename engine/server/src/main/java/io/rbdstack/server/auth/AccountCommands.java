package io.rbdstack.server.auth;

import static io.rbdstack.server.api.ApiParam.optional;
import static io.rbdstack.server.api.ApiParam.required;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbdstack.server.api.Access;
import io.rbdstack.server.api.ApiArgs;
import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.api.CommandRegistry;
import io.rbdstack.server.api.CommandSpec;
import io.rbdstack.server.api.ParamType;
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

    public static void register(CommandRegistry registry, UserRepository users, PasswordHasher hasher, SecretCipher cipher) {
        registry.register(new CreateAccount(users, hasher)).register(new ListUsers(users))
                .register(new RegisterUserKeys(users, cipher));
    }

    /** The keys registerUserKeys returns: the only time the secret key leaves the server. */
    public record UserKeys(String apikey, String secretkey) {
    }

    static final class CreateAccount implements SyncCommand {
        private static final CommandSpec SPEC = new CommandSpec("createAccount",
                "Creates an account with its first user", Access.ADMIN, false, "account",
                List.of(required("username", ParamType.STRING, "Unique username"),
                        required("password", ParamType.STRING, "Clear text password of the user"),
                        required("email", ParamType.STRING, "email"),
                        required("firstname", ParamType.STRING, "firstname"),
                        required("lastname", ParamType.STRING, "lastname"),
                        optional("accounttype", ParamType.INTEGER, "0 user, 1 root admin, 2 domain admin"),
                        optional("account", ParamType.STRING, "account name; defaults to the username")));

        private final UserRepository users;
        private final PasswordHasher hasher;

        CreateAccount(UserRepository users, PasswordHasher hasher) {
            this.users = users;
            this.hasher = hasher;
        }

        @Override
        public CommandSpec spec() {
            return SPEC;
        }

        @Override
        public ObjectNode execute(Caller caller, ApiArgs args) {
            String username = args.requireString("username");
            int type = args.intValue("accounttype").orElse(Caller.TYPE_USER);
            if (type != Caller.TYPE_USER && type != Caller.TYPE_ADMIN) {
                throw ApiException.invalidParameter("Invalid value '" + type
                        + "' for parameter accounttype: 0 (user) or 1 (root admin)");
            }
            if (users.usernameTaken(username, ROOT_DOMAIN_ID)) {
                throw ApiException.invalidParameter("The user " + username + " already exists in domain ROOT");
            }
            String accountName = args.string("account").orElse(username);
            long userId;
            try {
                userId = users.createAccountWithUser(accountName, type, ROOT_DOMAIN_ID, username,
                        hasher.hash(args.requireString("password").toCharArray()), args.requireString("firstname"),
                        args.requireString("lastname"), args.requireString("email"));
            } catch (ApiException e) {
                throw e;
            } catch (Exception e) {
                throw ApiException.internal("Cannot create account " + accountName, e);
            }
            Caller created = users.findActiveCaller(userId).orElseThrow();
            UserRepository.UserView user = users.listUsers(created, Optional.of(created.userUuid()), "").get(0);
            ObjectNode account = ApiJson.MAPPER.createObjectNode();
            account.put("id", created.accountUuid());
            account.put("name", created.accountName());
            account.put("accounttype", type);
            account.put("roletype", created.roleType());
            account.put("domainid", created.domainUuid());
            account.put("domain", "ROOT");
            account.put("state", "enabled");
            account.set("user", ApiJson.MAPPER.valueToTree(List.of(user)));
            ObjectNode body = ApiJson.MAPPER.createObjectNode();
            body.set("account", account);
            return body;
        }
    }

    static final class ListUsers implements SyncCommand {
        private static final CommandSpec SPEC = new CommandSpec("listUsers", "Lists user accounts", Access.USER, false,
                "user", List.of(optional("id", ParamType.UUID, "List user by ID"),
                optional("page", ParamType.INTEGER, "page number, from 1"),
                optional("pagesize", ParamType.INTEGER, "page size; -1 for all")));

        private final UserRepository users;

        ListUsers(UserRepository users) {
            this.users = users;
        }

        @Override
        public CommandSpec spec() {
            return SPEC;
        }

        @Override
        public ObjectNode execute(Caller caller, ApiArgs args) {
            Optional<String> id = args.uuid("id");
            return ApiJson.list("user", users.listUsers(caller, id, args.paging().sql()), users.countUsers(caller, id));
        }
    }

    static final class RegisterUserKeys implements SyncCommand {
        private static final CommandSpec SPEC = new CommandSpec("registerUserKeys",
                "This command allows a user to register for the developer API, returning a secret key and an API key."
                        + " The secret key is shown only here.", Access.USER, false, "userkeys",
                List.of(required("id", ParamType.UUID, "User id")));

        private final UserRepository users;
        private final SecretCipher cipher;

        RegisterUserKeys(UserRepository users, SecretCipher cipher) {
            this.users = users;
            this.cipher = cipher;
        }

        @Override
        public CommandSpec spec() {
            return SPEC;
        }

        @Override
        public ObjectNode execute(Caller caller, ApiArgs args) {
            String uuid = args.requireString("id");
            long userId = users.userIdByUuid(uuid).orElseThrow(() -> ApiException.invalidParameter(
                    "Unable to find user by id " + uuid + " (parameter id)"));
            if (userId != caller.userId() && !caller.isRootAdmin()) {
                throw ApiException.permissionDenied("Caller " + caller.username() + " may not register keys for user " + uuid);
            }
            String apiKey = SecretCipher.newApiKey();
            String secretKey = SecretCipher.newSecretKey();
            users.setApiKeys(userId, apiKey, cipher.encrypt(secretKey));
            return ApiJson.object("userkeys", new UserKeys(apiKey, secretKey));
        }
    }
}
