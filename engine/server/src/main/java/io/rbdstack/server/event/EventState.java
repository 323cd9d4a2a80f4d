package io.rbdstack.server.event;

/**
 * CloudStack's event states: a sync call records one Completed event; an async job records Scheduled when
 * it is submitted, Started when it runs and Completed when it ends. Created is for events nothing
 * follows up (none are recorded yet).
 */
public enum EventState {
    Created, Scheduled, Started, Completed
}
