package io.rbdstack.dbupgrade;

/** One row of the {@code version} table. */
record AppliedVersion(int version, String description, String checksum, String step) {

    boolean complete() {
        return VersionTable.COMPLETE.equals(step);
    }
}
