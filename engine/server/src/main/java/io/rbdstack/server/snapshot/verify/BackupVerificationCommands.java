package io.rbdstack.server.snapshot.verify;

import io.rbdstack.server.api.Access;
import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.api.AsyncCommand;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.api.Command;
import io.rbdstack.server.api.CommandRegistry;
import io.rbdstack.server.api.Entity;
import io.rbdstack.server.api.Param;
import java.util.Optional;

/** verifySnapshotBackups: rbdstack's own command (CloudStack has none) to verify snapshot backups now. */
public final class BackupVerificationCommands {

    private BackupVerificationCommands() {
    }

    public static void register(CommandRegistry registry, BackupVerification verification) {
        registry.register(VerifySnapshotBackups.class, verification);
    }

    @Command(name = "verifySnapshotBackups", description = "rbdstack extension: re-reads snapshot backups on their"
            + " image stores and checks each file's size, SHA-256 and chain link, as the scheduled verification"
            + " (backup.verify.interval) does. A damaged backup and the backups incremental to it go to Error, with"
            + " an alert and an event. Without parameters every backup is verified.", access = Access.ADMIN,
            response = "snapshotbackupverification", event = "SNAPSHOT.BACKUP.VERIFY")
    record VerifySnapshotBackups(
            @Param(description = "only the backup of this snapshot", entity = Entity.SNAPSHOT) Optional<String> snapshotId,
            @Param(description = "only the backups of this volume's snapshots", entity = Entity.VOLUME)
            Optional<String> volumeId) implements AsyncCommand<BackupVerification> {

        @Override
        public AsyncStart start(Caller caller, BackupVerification verification) {
            String type = snapshotId.isPresent() ? "Snapshot" : volumeId.isPresent() ? "Volume" : null;
            String id = snapshotId.or(() -> volumeId).orElse(null);
            return new AsyncStart(type, id, progress -> ApiJson.object("snapshotbackupverification",
                    verification.verify(snapshotId, volumeId, progress::report)));
        }
    }
}
