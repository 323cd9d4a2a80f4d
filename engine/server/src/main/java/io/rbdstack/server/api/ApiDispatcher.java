package io.rbdstack.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbdstack.server.auth.LoginService;
import io.rbdstack.server.auth.RequestAuthenticator;
import io.rbdstack.server.event.ActionEvents;
import io.rbdstack.server.event.EventResource;
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
    private final ActionEvents events;

    public ApiDispatcher(CommandRegistry registry, ParamBinder binder, RequestAuthenticator authenticator,
                         LoginService login, AsyncJobManager jobs, ActionEvents events) {
        this.registry = registry;
        this.binder = binder;
        this.authenticator = authenticator;
        this.login = login;
        this.jobs = jobs;
        this.events = events;
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
            ObjectNode body = run(caller, registered, bound, params);
            return new ApiReply(200, format, format.render(responseName, body), Optional.empty());
        } catch (Answered e) {
            return error(format, responseName, e.answer);
        } catch (ApiException e) {
            // A 530's text is a summary by contract; its details go to the log under an incident id.
            ApiException answer = e.errorCode() == ApiErrorCode.INTERNAL_ERROR
                    ? Incident.report(LOG, "API command " + commandLabel(command), e.getMessage(), e) : e;
            return error(format, found(command) ? responseName : "errorresponse", answer);
        } catch (RuntimeException e) {
            // SQL, exception classes and stack traces stay in the log: the caller gets the incident id.
            String label = commandLabel(command);
            return error(format, found(command) ? responseName : "errorresponse",
                    Incident.report(LOG, "API command " + label, "Internal error running " + label, e));
        }
    }

    /**
     * Runs a bound command (a sync one to its end, an async one to its job's submission) and records the
     * call's event: a failure as the caller is told it, an internal fault under its incident id.
     */
    private ObjectNode run(Caller caller, CommandRegistry.Registered registered, ApiCommand<?> bound,
                           Map<String, String> params) {
        CommandSpec spec = registered.spec();
        ObjectNode body;
        try {
            body = spec.async() ? submit(caller, registered, bound, params) : registered.execute(bound, caller);
        } catch (ApiException e) {
            ApiException answer = e.errorCode() == ApiErrorCode.INTERNAL_ERROR
                    ? Incident.report(LOG, "API command " + spec.name(), e.getMessage(), e) : e;
            events.call(caller, spec, () -> EventResource.of(spec, bound, null), answer);
            throw new Answered(answer);
        } catch (RuntimeException e) {
            ApiException answer = Incident.report(LOG, "API command " + spec.name(),
                    "Internal error running " + spec.name(), e);
            events.call(caller, spec, () -> EventResource.of(spec, bound, null), answer);
            throw new Answered(answer);
        }
        if (!spec.async()) {
            events.call(caller, spec, () -> EventResource.of(spec, bound, body), null);
        }
        return body;
    }

    /** A failed command's answer, its incident (if any) already reported and its event recorded. */
    private static final class Answered extends RuntimeException {
        private final ApiException answer;

        Answered(ApiException answer) {
            super(answer.getMessage(), answer, false, false);
            this.answer = answer;
        }
    }

    private ObjectNode submit(Caller caller, CommandRegistry.Registered registered, ApiCommand<?> command,
                              Map<String, String> params) {
        AsyncCommand.AsyncStart start = registered.start(command, caller);
        String jobId = jobs.submit(caller, registered.spec().name(), loggable(registered.spec(), params), start);
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

    /** The command's name when it is one, else a word for it: an unknown name is whatever the caller sent. */
    private String commandLabel(String command) {
        return found(command) ? command : "the request";
    }

    static ApiReply error(ResponseFormat format, String responseName, ApiException e) {
        return error(format, responseName, e.errorCode().httpCode(), e.csErrorCode(), e.getMessage());
    }

    /** CloudStack's error envelope with HTTP status = {@code errorCode}; no cserrorcode when it is 0. */
    static ApiReply error(ResponseFormat format, String responseName, int errorCode, int csErrorCode, String text) {
        ObjectNode body = ApiJson.MAPPER.createObjectNode();
        body.putArray("uuidList");
        body.put("errorcode", errorCode);
        if (csErrorCode != 0) {
            body.put("cserrorcode", csErrorCode);
        }
        body.put("errortext", text);
        return new ApiReply(errorCode, format, format.render(responseName, body), Optional.empty());
    }

    /** CloudStack binds parameters by lower-cased name. */
    static Map<String, String> lowerCaseNames(Map<String, String> params) {
        Map<String, String> lower = new LinkedHashMap<>();
        params.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        return lower;
    }

    /**
     * What a job row records of its call: the command's declared parameters (their lengths already
     * checked by the binder), never secrets and never what the command does not take, so an unknown
     * parameter of any size cannot make the job row fail after the command has started.
     */
    static Map<String, String> loggable(CommandSpec spec, Map<String, String> params) {
        Set<String> declared = new java.util.HashSet<>();
        spec.params().forEach(p -> declared.add(p.name()));
        Map<String, String> kept = new LinkedHashMap<>();
        params.forEach((k, v) -> {
            String base = k.contains("[") ? k.substring(0, k.indexOf('[')) : k;
            if (declared.contains(base) && !SECRET_PARAMS.contains(base)) {
                kept.put(k, v);
            }
        });
        return kept;
    }
}
