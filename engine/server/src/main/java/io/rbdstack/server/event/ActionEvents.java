package io.rbdstack.server.event;

import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.api.CommandSpec;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place the audit trail is written, as CloudStack's ActionEventUtils does it: the API dispatcher
 * reports each state-changing call, the job manager each job's start and end. A call records one
 * Completed event (INFO, or ERROR when it failed); a job records Scheduled when submitted, then Started
 * and Completed, both with the Scheduled event as parent. An event that cannot be written is logged and
 * does not undo or fail the call it describes.
 */
public final class ActionEvents {

    private static final Logger LOG = LoggerFactory.getLogger(ActionEvents.class);

    private final EventRepository events;
    private final Function<String, Optional<CommandSpec>> commands;

    /** @param commands a command's declaration by name (for jobs, which know only the command's name) */
    public ActionEvents(EventRepository events, Function<String, Optional<CommandSpec>> commands) {
        this.events = events;
        this.commands = commands;
    }

    /** A job's events so far: who runs what on which resource, and its Scheduled event. */
    public record JobTrail(Caller caller, String type, String action, Optional<EventResource> resource,
                           Long scheduledId) {
    }

    /** A sync call that ran: one Completed event, ERROR with the reason when {@code failure} is not null. */
    public void call(Caller caller, CommandSpec spec, Supplier<Optional<EventResource>> about, ApiException failure) {
        if (!spec.recordsEvents()) {
            return;
        }
        Optional<EventResource> resource;
        try {
            resource = about.get();
        } catch (RuntimeException e) {
            LOG.error("Cannot tell what {} was about; its event names no resource", spec.name(), e);
            resource = Optional.empty();
        }
        String action = action(spec.name());
        String description = failure == null ? "Successfully completed " + action : failed(action, failure);
        record(caller, spec.eventType(), EventState.Completed, failure == null ? EventLevel.INFO : EventLevel.ERROR,
                description + suffix(resource), resource, null);
    }

    /** A job was submitted: its Scheduled event; empty when the command records no events. */
    public Optional<JobTrail> scheduled(Caller caller, String command, Optional<EventResource> resource) {
        Optional<CommandSpec> spec = commands.apply(command).filter(CommandSpec::recordsEvents);
        if (spec.isEmpty()) {
            return Optional.empty();
        }
        String action = action(command);
        Long id = record(caller, spec.get().eventType(), EventState.Scheduled, EventLevel.INFO,
                capitalized(action) + suffix(resource), resource, null);
        return Optional.of(new JobTrail(caller, spec.get().eventType(), action, resource, id));
    }

    /** The job started running. */
    public void started(JobTrail job) {
        record(job.caller(), job.type(), EventState.Started, EventLevel.INFO, "Starting job for " + job.action()
                + suffix(job.resource()), job.resource(), job.scheduledId());
    }

    /** The job ended: Completed, ERROR with the reason when {@code failure} is not null. */
    public void ended(JobTrail job, ApiException failure) {
        String description = failure == null ? "Successfully completed " + job.action() : failed(job.action(), failure);
        record(job.caller(), job.type(), EventState.Completed, failure == null ? EventLevel.INFO : EventLevel.ERROR,
                description + suffix(job.resource()), job.resource(), job.scheduledId());
    }

    /**
     * Something done outside any command (a login, a logout): one Completed event with the description as
     * given, as CloudStack's ActionEventUtils.onActionEvent records it.
     */
    public void happened(Caller caller, String type, EventLevel level, String description, EventResource resource) {
        record(caller, type, EventState.Completed, level, description, Optional.of(resource), null);
    }

    private Long record(Caller caller, String type, EventState state, EventLevel level, String description,
                        Optional<EventResource> resource, Long startId) {
        try {
            return events.insert(new EventRepository.NewEvent(type, state, level, description, caller.userId(),
                    caller.accountId(), caller.domainId(), resource.orElse(null), startId));
        } catch (RuntimeException e) {
            LOG.error("Could not record {} event {} ({}) of user {}: {}", state, type, description, caller.username(),
                    e.getMessage(), e);
            return null;
        }
    }

    /** What the caller was told: an internal fault's text is its summary and incident id, never its details. */
    private static String failed(String action, ApiException failure) {
        return "Error while " + action + ": " + failure.getMessage();
    }

    private static String suffix(Optional<EventResource> resource) {
        return resource.map(EventResource::describe).orElse("");
    }

    /** "createVolume" → "create volume": what the event says was done. */
    static String action(String command) {
        return command.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
    }

    private static String capitalized(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
