package io.rbdstack.dbupgrade;

import java.util.Collection;

/** Checks the {@code version} table against the scripts this server knows, before anything is applied. */
final class AppliedVersions {

    private AppliedVersions() {
    }

    /**
     * @return the highest completed version (0 for none)
     * @throws DbUpgradeException when the database is newer than the code, a script it ran is unknown or
     *                            was changed since, or a script below its version was never completed
     */
    static int verify(Collection<AppliedVersion> rows, UpgradeScripts known) throws DbUpgradeException {
        int highest = rows.stream().mapToInt(AppliedVersion::version).max().orElse(0);
        if (highest > known.newestVersion()) {
            throw new DbUpgradeException("Database schema version " + highest + " is newer than this server,"
                    + " which knows up to version " + known.newestVersion() + "; refusing to start");
        }
        for (AppliedVersion row : rows) {
            UpgradeScript script = known.byVersion(row.version()).orElseThrow(() -> new DbUpgradeException(
                    "Database schema version " + row.version() + " (" + row.description() + ") was applied by"
                            + " an upgrade script this server does not have; refusing to start"));
            if (!script.checksum().equalsIgnoreCase(row.checksum())) {
                throw new DbUpgradeException("Upgrade script " + script.fileName() + " was changed after it was "
                        + (row.complete() ? "" : "partly ") + "applied to this database (checksum in DB "
                        + abbreviate(row.checksum()) + ", in code " + abbreviate(script.checksum())
                        + "); refusing to start");
            }
        }
        int completed = rows.stream().filter(AppliedVersion::complete).mapToInt(AppliedVersion::version)
                .max().orElse(0);
        for (UpgradeScript script : known.all()) {
            if (script.version() >= completed) {
                break;
            }
            boolean done = rows.stream().anyMatch(r -> r.version() == script.version() && r.complete());
            if (!done) {
                throw new DbUpgradeException("Upgrade script " + script.fileName() + " is below the database's"
                        + " schema version " + completed + " but was never completed on it (scripts must only"
                        + " be added above the newest released version); refusing to start");
            }
        }
        return completed;
    }

    private static String abbreviate(String checksum) {
        return checksum == null || checksum.length() <= 12 ? String.valueOf(checksum) : checksum.substring(0, 12) + "…";
    }
}
