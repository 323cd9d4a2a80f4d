package io.rbdstack.agent.ceph;

import java.time.Duration;
import java.util.Objects;

/**
 * How long librados may wait, so a dead or silent cluster gives an error instead of a hung
 * thread: {@code client_mount_timeout} (connect and authenticate), {@code rados_mon_op_timeout}
 * (monitor commands, pool lookups) and {@code rados_osd_op_timeout} (object and image I/O).
 * librados takes whole seconds.
 */
public record RadosTimeouts(Duration mount, Duration monOp, Duration osdOp) {

    /** Extra time the connect watchdog gives librados beyond client_mount_timeout. */
    static final Duration CONNECT_GRACE = Duration.ofSeconds(10);

    public RadosTimeouts {
        requireWholeSeconds(mount, "mount");
        requireWholeSeconds(monOp, "monOp");
        requireWholeSeconds(osdOp, "osdOp");
    }

    /** 15 s each. */
    public static RadosTimeouts standard() {
        return of(Duration.ofSeconds(15));
    }

    public static RadosTimeouts of(Duration each) {
        return new RadosTimeouts(each, each, each);
    }

    /** The longest {@code rados_connect} may take before the agent gives up on it. */
    Duration connectDeadline() {
        return mount.plus(CONNECT_GRACE);
    }

    private static void requireWholeSeconds(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.toSeconds() < 1 || value.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException(name + " timeout must be a whole number of seconds >= 1: " + value);
        }
    }
}
