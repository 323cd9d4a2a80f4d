package io.rbdstack.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbdstack.server.auth.LoginService;
import io.rbdstack.server.auth.RequestAuthenticator;
import io.rbdstack.server.db.DataAccessException;
import io.rbdstack.server.job.AsyncJobManager;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CloudStack API, HTTP aside: login/logout, authentication, command lookup and access check,
 * parameter binding, sync execution or job submission, and CloudStack's error envelope.
 */
public final class ApiDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(ApiDispatcher.class);
    /** Never stored in a job row or logged. */
    private static final Set<String> SECRET_PARAMS = Set.of("password", "signature", "sessionkey", "secretkey",
            "apikey", "url", "details");

    private final CommandRegistry registry;
    private final ParamBinder binder;
    private final RequestAuthenticator authenticator;
    private final LoginService login;
    private final AsyncJobManager jobs;

    public ApiDispatcher(CommandRegistry registry, ParamBinder binder, RequestAuthenticator authenticator,
                         LoginService login, AsyncJobManager jobs) {
        this.registry = registry;
        this.binder = binder;
        this.authenticator = authenticator;
        this.login = login;
        this.jobs = jobs;
    }

    public ApiReply dispatch(ApiRequest request) {
        Map<String, String> params = lowerCaseNames(request.params());
        ResponseFormat format = ResponseFormat.fromParameter(params.get("response"));
        String command = request.params().getOrDefault("command", "");
        String responseName = command.isEmpty() ? "errorresponse" : command.toLowerCase(Locale.ROOT) + "response";
        try {
            if (command.equals("login")) {
                return login.login(request, params, format);
            }
            if (command.equals("logout")) {
                return login.logout(request, format);
            }
            Caller caller = authenticator.authenticate(request);
            Optional<CommandRegistry.Registered> found = registry.find(command);
            if (found.isEmpty() || !found.get().allowedFor(caller)) {
                // CloudStack does not tell a caller whether a command it may not run exists.
                throw new ApiException(ApiErrorCode.UNSUPPORTED_ACTION_ERROR, ApiException.CS_SERVER_API,
                        "The given command: " + (command.isEmpty() ? "(none)" : command)
                                + " does not exist or it is not available for user " + caller.username());
            }
            CommandRegistry.Registered registered = found.get();
            ApiCommand<?> bound = binder.bind(registered.type(), request.params(), caller);
            ObjectNode body = registered.spec().async() ? submit(caller, registered, bound, params)
                    : registered.execute(bound, caller);
            return new ApiReply(200, format, format.render(responseName, body), Optional.empty());
        } catch (ApiException e) {
            return error(format, found(command) ? responseName : "errorresponse", e);
        } catch (DataAccessException e) {
            LOG.error("API command {} failed on the database", command, e);
            return error(format, responseName, ApiException.internal("Database error while running " + command, e));
        } catch (RuntimeException e) {
            LOG.error("API command {} failed", command, e);
            return error(format, responseName, ApiException.internal("Internal error running " + command + ": "
                    + e.getMessage(), e));
        }
    }

    private ObjectNode submit(Caller caller, CommandRegistry.Registered registered, ApiCommand<?> command,
                              Map<String, String> params) {
        AsyncCommand.AsyncStart start = registered.start(command, caller);
        String jobId = jobs.submit(caller, registered.spec().name(), loggable(params), start);
        ObjectNode body = ApiJson.MAPPER.createObjectNode();
        if (start.instanceId() != null) {
            body.put("id", start.instanceId());
        }
        body.put("jobid", jobId);
        return body;
    }

    private boolean found(String command) {
        return registry.find(command).isPresent() || command.equals("login") || command.equals("logout");
    }

    static ApiReply error(ResponseFormat format, String responseName, ApiException e) {
        ObjectNode body = ApiJson.MAPPER.createObjectNode();
        body.putArray("uuidList");
        body.put("errorcode", e.errorCode().httpCode());
        if (e.csErrorCode() != 0) {
            body.put("cserrorcode", e.csErrorCode());
        }
        body.put("errortext", e.getMessage());
        return new ApiReply(e.errorCode().httpCode(), format, format.render(responseName, body), Optional.empty());
    }

    /** CloudStack binds parameters by lower-cased name. */
    static Map<String, String> lowerCaseNames(Map<String, String> params) {
        Map<String, String> lower = new LinkedHashMap<>();
        params.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        return lower;
    }

    static Map<String, String> loggable(Map<String, String> params) {
        Map<String, String> kept = new LinkedHashMap<>();
        params.forEach((k, v) -> {
            String base = k.contains("[") ? k.substring(0, k.indexOf('[')) : k;
            if (!SECRET_PARAMS.contains(base)) {
                kept.put(k, v);
            }
        });
        return kept;
    }
}
