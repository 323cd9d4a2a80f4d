package io.rbdstack.dbupgrade;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What one upgrade run did.
 *
 * @param fromVersion   highest completed version found in the database (0 for an empty database)
 * @param toVersion     highest completed version when the run ended
 * @param applied       versions of the scripts this run applied (or completed), in order; empty when
 *                      another server had already done the work
 * @param waitedForLock how long this run waited for the upgrade lock
 */
public record UpgradeResult(int fromVersion, int toVersion, List<Integer> applied, Duration waitedForLock) {

    public UpgradeResult {
        applied = List.copyOf(applied);
        Objects.requireNonNull(waitedForLock, "waitedForLock");
    }
}
