package io.rbdstack.server.snapshot.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The schedule's period from backup.verify.interval, and how a run's results are counted. */
class BackupVerificationTest {

    @Test
    void theIntervalIsInHoursWithFractionsAndZeroOnlyLooksEveryMinute() {
        assertEquals(Duration.ofHours(24), BackupVerification.periodOf(new BigDecimal("24")));
        assertEquals(Duration.ofMillis(3600), BackupVerification.periodOf(new BigDecimal("0.001")));
        assertEquals(Duration.ofSeconds(1), BackupVerification.periodOf(new BigDecimal("0.0000001")),
                "never below a second");
        assertEquals(Duration.ofMinutes(1), BackupVerification.periodOf(BigDecimal.ZERO), "off: looks again later");
    }

    @Test
    void aReportCountsWholeDamagedAndUnreadableBackupsApart() {
        VerificationReport report = VerificationReport.of(List.of(checked("OK"), checked("CHECKSUM_MISMATCH"),
                checked("PARENT_DAMAGED"), checked(BackupVerification.FAILED), checked("OK")));
        assertEquals(5, report.checked());
        assertEquals(2, report.ok());
        assertEquals(2, report.damaged());
        assertEquals(1, report.failed());
    }

    private static VerificationReport.CheckedBackup checked(String result) {
        return new VerificationReport.CheckedBackup("s", "n", "v", "vn", "p", result, null);
    }
}
