package io.rbdstack.server.host;

import java.util.EnumSet;
import java.util.Set;

/**
 * Whether a host takes new work (CloudStack's resource states, listHosts' {@code resourcestate}), and the
 * only place that says which state may follow which. Only an Enabled host is chosen for storage work;
 * a host going into maintenance first finishes the agent commands it has (PrepareForMaintenance).
 */
public enum HostResourceState {
    Enabled, Disabled, PrepareForMaintenance, Maintenance, ErrorInMaintenance;

    public Set<HostResourceState> next() {
        return switch (this) {
            case Enabled -> EnumSet.of(Disabled, PrepareForMaintenance);
            case Disabled -> EnumSet.of(Enabled, PrepareForMaintenance);
            // Enabled again: the maintenance was cancelled before the host had finished its work.
            case PrepareForMaintenance -> EnumSet.of(Maintenance, ErrorInMaintenance, Enabled);
            case Maintenance -> EnumSet.of(Enabled);
            case ErrorInMaintenance -> EnumSet.of(Enabled, PrepareForMaintenance);
        };
    }

    public boolean canMoveTo(HostResourceState to) {
        return next().contains(to);
    }

    /** Whether the host is in one of the maintenance states, which only cancelHostMaintenance leaves. */
    public boolean inMaintenance() {
        return this == PrepareForMaintenance || this == Maintenance || this == ErrorInMaintenance;
    }
}
