package io.rbdstack.spi.agent.store;

/** What is wrong with a backup file that failed its verification. */
public enum BackupDamage {
    /** The file is not in the store. */
    MISSING,
    /** The file is shorter than when it was written, or its stream ends before its end record. */
    TRUNCATED,
    /** The stream cannot be read as an rbd diff (bad header, unknown record, impossible extent). */
    MALFORMED,
    /** The stream's from-snapshot or to-snapshot is not the one its place in the chain says. */
    WRONG_PARENT,
    /** The bytes are not those written: their SHA-256 (or size) differs. */
    CHECKSUM_MISMATCH
}
