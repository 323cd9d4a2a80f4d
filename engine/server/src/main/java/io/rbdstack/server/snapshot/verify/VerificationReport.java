package io.rbdstack.server.snapshot.verify;

import java.util.List;

/**
 * What one verification run checked, as verifySnapshotBackups answers it: how many backups were
 * checked, found whole, found damaged (each damaged one's dependants too) or could not be read (the
 * store or every host unreachable: nothing is concluded about those), and each backup's result.
 */
public record VerificationReport(int checked, int ok, int damaged, int failed, List<CheckedBackup> backup) {

    /**
     * One backup's result: {@code OK}, a damage ({@code MISSING}, {@code TRUNCATED}, {@code MALFORMED},
     * {@code WRONG_PARENT}, {@code CHECKSUM_MISMATCH}, {@code PARENT_DAMAGED}) or {@code FAILED}, with details.
     */
    public record CheckedBackup(String snapshotid, String snapshotname, String volumeid, String volumename,
                                String path, String result, String details) {
    }

    static VerificationReport of(List<CheckedBackup> backups) {
        int ok = count(backups, BackupVerificationRepository.OK);
        int failed = count(backups, BackupVerification.FAILED);
        return new VerificationReport(backups.size(), ok, backups.size() - ok - failed, failed, List.copyOf(backups));
    }

    private static int count(List<CheckedBackup> backups, String result) {
        return (int) backups.stream().filter(b -> b.result().equals(result)).count();
    }
}
