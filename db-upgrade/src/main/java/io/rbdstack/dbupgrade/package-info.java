/**
 * Versioned schema upgrades, applied at start-up by {@link io.rbdstack.dbupgrade.DbUpgrader}.
 *
 * <p>Scripts are {@code db/upgrade/V<version>__<what>.sql} on the class path, listed in order by
 * {@code db/upgrade/scripts.txt}. A statement ends with a {@code ;} at the end of a line; {@code --}
 * comments and blank lines are ignored; no stored procedures or DELIMITER. A released script is never
 * edited (its checksum is recorded in the {@code version} table): changes go into a new script. Since
 * MySQL DDL is not transactional, a script interrupted half-way is re-run at the next start, tolerating
 * errors that mean "already applied": keep every statement safe to run twice in that sense.
 */
package io.rbdstack.dbupgrade;
