package io.rbdstack.server.event;

/** CloudStack's event levels: INFO for what happened, ERROR for what failed. */
public enum EventLevel {
    INFO, ERROR
}
