package io.rbdstack.server.snapshot.verify;

import io.rbdstack.server.alert.AlertType;
import io.rbdstack.server.alert.Alerts;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.event.ActionEvents;
import io.rbdstack.server.event.EventLevel;
import io.rbdstack.server.event.EventResource;
import io.rbdstack.server.settings.Setting;
import io.rbdstack.server.settings.SettingsRepository;
import io.rbdstack.spi.agent.Answer;
import io.rbdstack.spi.agent.store.BackupVerifiedAnswer;
import io.rbdstack.spi.agent.store.VerifyBackupCommand;
import io.rbdstack.spi.storage.HostGateway;
import io.rbdstack.spi.storage.PoolScope;
import io.rbdstack.spi.storage.StorageException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntConsumer;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies snapshot backups (Proxmox Backup Server's verify jobs): an Up host of the store's zone
 * re-reads each backup file and checks its size, SHA-256 and chain link ({@code store.verifyBackup}).
 * A damaged backup's row goes to Error, and so do the backups incremental to it, each with an
 * {@link AlertType#BACKUP_DAMAGED} alert and an ERROR event of its owner: no restore reads them, and
 * the volume's next backup is full. A store no host can read fails that check only; nothing is marked.
 * Runs on request (verifySnapshotBackups) and every {@code backup.verify.interval} hours.
 */
public final class BackupVerification {

    private static final Logger LOG = LoggerFactory.getLogger(BackupVerification.class);
    static final String FAILED = "FAILED";
    static final String EVENT_TYPE = "SNAPSHOT.BACKUP.VERIFY";
    /** The agent re-reads the whole file: a minute, plus a second per 10 MB (a slow NFS server's pace). */
    private static final Duration BASE_TIMEOUT = Duration.ofSeconds(60);
    private static final long BYTES_PER_SECOND = 10_000_000;
    /** How often the scheduler looks at the setting while verification is off. */
    private static final Duration WHILE_OFF = Duration.ofMinutes(1);

    private final BackupVerificationRepository backups;
    private final HostGateway hosts;
    private final Alerts alerts;
    private final ActionEvents events;
    private final LongFunction<Optional<Caller>> ownerOf;
    private final SettingsRepository settings;
    private final Clock clock;

    public BackupVerification(BackupVerificationRepository backups, HostGateway hosts, Alerts alerts,
                              ActionEvents events, LongFunction<Optional<Caller>> ownerOf, SettingsRepository settings,
                              Clock clock) {
        this.backups = backups;
        this.hosts = hosts;
        this.alerts = alerts;
        this.events = events;
        this.ownerOf = ownerOf;
        this.settings = settings;
        this.clock = clock;
    }

    /** Verifies every Ready backup, or one snapshot's, or one volume's; {@code percent} follows the run. */
    public VerificationReport verify(Optional<String> snapshotUuid, Optional<String> volumeUuid, IntConsumer percent) {
        List<BackupVerificationRepository.StoredBackup> toCheck = backups.ready(snapshotUuid, volumeUuid);
        List<VerificationReport.CheckedBackup> checked = new ArrayList<>();
        Set<Long> marked = new HashSet<>();
        int done = 0;
        for (BackupVerificationRepository.StoredBackup backup : toCheck) {
            if (!marked.contains(backup.snapshotId())) {
                verifyOne(backup, checked, marked);
            }
            percent.accept(++done * 100 / toCheck.size());
        }
        VerificationReport report = VerificationReport.of(checked);
        LOG.info("Verified {} snapshot backup(s): {} whole, {} damaged, {} not readable", report.checked(),
                report.ok(), report.damaged(), report.failed());
        return report;
    }

    /** The scheduler's period: {@code backup.verify.interval}, read before each look. */
    public Duration period() {
        return periodOf(intervalHours());
    }

    /** The period for {@code hours} of backup.verify.interval: at least a second; a minute's look while off (0). */
    static Duration periodOf(BigDecimal hours) {
        if (hours.signum() == 0) {
            return WHILE_OFF;
        }
        return Duration.ofMillis(Math.max(1000, hours.multiply(BigDecimal.valueOf(3_600_000)).longValue()));
    }

    /** The scheduled run: every backup, unless verification is off (interval 0). */
    public void runIfEnabled() {
        if (intervalHours().signum() > 0) {
            verify(Optional.empty(), Optional.empty(), percent -> { });
        }
    }

    private BigDecimal intervalHours() {
        return new BigDecimal(settings.value(Setting.BACKUP_VERIFY_INTERVAL));
    }

    private void verifyOne(BackupVerificationRepository.StoredBackup backup,
                           List<VerificationReport.CheckedBackup> checked, Set<Long> marked) {
        if (backup.parentDamaged()) {
            damaged(backup, BackupVerificationRepository.PARENT_DAMAGED, "backup " + backup.path()
                    + " is incremental to the damaged backup of snapshot " + backup.parentUuid(), checked, marked);
            return;
        }
        BackupVerifiedAnswer answer;
        try {
            Duration timeout = BASE_TIMEOUT.plusSeconds(backup.physicalBytes() / BYTES_PER_SECOND);
            Answer reply = hosts.sendToAnyHost(PoolScope.zone(backup.zoneUuid()), new VerifyBackupCommand(
                    backup.storeUrl(), backup.path(), backup.physicalBytes(), backup.checksum(), backup.parentUuid(),
                    backup.snapshotUuid(), backup.credentials()), timeout);
            answer = reply instanceof BackupVerifiedAnswer verified ? verified
                    : BackupVerifiedAnswer.failed(reply.details());
        } catch (StorageException e) {
            answer = BackupVerifiedAnswer.failed(e.getMessage());
        }
        if (!answer.success()) {
            LOG.warn("Cannot verify the backup of snapshot {} ({}): {}", backup.snapshotName(), backup.snapshotUuid(),
                    answer.details());
            checked.add(entry(backup, FAILED, answer.details()));
        } else if (answer.damage() == null) {
            backups.recordOk(backup.snapshotId(), clock.instant());
            checked.add(entry(backup, BackupVerificationRepository.OK, null));
        } else {
            damaged(backup, answer.damage().name(), answer.details(), checked, marked);
        }
    }

    /** Marks the backup Error, then every backup incremental to it, depth first. */
    private void damaged(BackupVerificationRepository.StoredBackup backup, String result, String details,
                         List<VerificationReport.CheckedBackup> checked, Set<Long> marked) {
        marked.add(backup.snapshotId());
        if (!backups.recordDamaged(backup.snapshotId(), result, details, clock.instant())) {
            return; // deleted meanwhile: nothing left to mark
        }
        checked.add(entry(backup, result, details));
        String subject = "Backup of snapshot " + backup.snapshotName() + " (" + backup.snapshotUuid() + ") of volume "
                + backup.volumeName() + " is damaged (" + result + "): " + details
                + "; it is marked Error, no restore reads it and the volume's next backup is full";
        alerts.failed(AlertType.BACKUP_DAMAGED, backup.snapshotUuid(), subject);
        Optional<Caller> owner = ownerOf.apply(backup.accountId());
        if (owner.isPresent()) {
            events.happened(owner.get(), EVENT_TYPE, EventLevel.ERROR, subject,
                    new EventResource("Snapshot", backup.snapshotUuid()));
        } else {
            LOG.warn("No {} event for snapshot {}: its account {} has no active user", EVENT_TYPE,
                    backup.snapshotUuid(), backup.accountId());
        }
        for (BackupVerificationRepository.StoredBackup child : backups.readyChildren(backup.snapshotId())) {
            damaged(child, BackupVerificationRepository.PARENT_DAMAGED, "backup " + child.path()
                    + " is incremental to the damaged backup of snapshot " + backup.snapshotUuid(), checked, marked);
        }
    }

    private static VerificationReport.CheckedBackup entry(BackupVerificationRepository.StoredBackup backup,
                                                          String result, String details) {
        return new VerificationReport.CheckedBackup(backup.snapshotUuid(), backup.snapshotName(), backup.volumeUuid(),
                backup.volumeName(), backup.path(), result, details);
    }
}
