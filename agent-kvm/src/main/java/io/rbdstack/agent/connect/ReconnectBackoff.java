package io.rbdstack.agent.connect;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Delay before reconnect attempt n (counting from 0 after the last successful handshake): initial ×
 * 2ⁿ, capped at max, less a random share of up to {@code jitter} of it, so that agents cut off
 * together (a management server restart) do not all come back in the same instant.
 */
public final class ReconnectBackoff {

    private final Duration initial;
    private final Duration max;
    private final double jitter;
    private final DoubleSupplier random;

    /**
     * @param jitter fraction in [0, 1] by which a delay may be shortened at random
     * @param random uniform values in [0, 1)
     */
    public ReconnectBackoff(Duration initial, Duration max, double jitter, DoubleSupplier random) {
        this.initial = Objects.requireNonNull(initial, "initial");
        this.max = Objects.requireNonNull(max, "max");
        this.random = Objects.requireNonNull(random, "random");
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 < initial <= max");
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter must be within [0, 1]");
        }
        this.jitter = jitter;
    }

    public ReconnectBackoff(Duration initial, Duration max, double jitter) {
        this(initial, max, jitter, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** 1 s doubling to 60 s, up to 20 % shorter at random. */
    public static ReconnectBackoff standard() {
        return new ReconnectBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60), 0.2);
    }

    public Duration delay(int attempt) {
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must not be negative");
        }
        long maxMillis = max.toMillis();
        long base = initial.toMillis();
        for (int i = 0; i < attempt && base < maxMillis; i++) {
            base *= 2;
        }
        base = Math.min(base, maxMillis);
        return Duration.ofMillis(base - Math.round(base * jitter * random.getAsDouble()));
    }
}
