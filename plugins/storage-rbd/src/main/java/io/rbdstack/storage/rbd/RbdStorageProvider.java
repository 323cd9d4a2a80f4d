package io.rbdstack.storage.rbd;

import io.rbdstack.spi.agent.Answer;
import io.rbdstack.spi.agent.AgentCommand;
import io.rbdstack.storage.rbd.agent.BackupFile;
import io.rbdstack.storage.rbd.agent.BackupRbdSnapshotCommand;
import io.rbdstack.storage.rbd.agent.CloneRbdSnapshotCommand;
import io.rbdstack.storage.rbd.agent.CloneRbdTemplateCommand;
import io.rbdstack.storage.rbd.agent.CreateRbdGroupSnapshotCommand;
import io.rbdstack.storage.rbd.agent.DeleteRbdGroupCommand;
import io.rbdstack.storage.rbd.agent.DeleteRbdGroupSnapshotCommand;
import io.rbdstack.storage.rbd.agent.DeleteRbdTemplateCommand;
import io.rbdstack.storage.rbd.agent.RbdTemplateDeleteAnswer;
import io.rbdstack.storage.rbd.agent.ListRbdGroupSnapshotsCommand;
import io.rbdstack.storage.rbd.agent.RbdGroupRollbackAnswer;
import io.rbdstack.storage.rbd.agent.RbdGroupSnapshotAnswer;
import io.rbdstack.storage.rbd.agent.RbdGroupSnapshotsAnswer;
import io.rbdstack.storage.rbd.agent.RollbackRbdGroupSnapshotCommand;
import io.rbdstack.storage.rbd.agent.FlattenRbdImageCommand;
import io.rbdstack.storage.rbd.agent.ImportRbdTemplateCommand;
import io.rbdstack.storage.rbd.agent.RbdTemplateAnswer;
import io.rbdstack.storage.rbd.agent.RbdBackupAnswer;
import io.rbdstack.storage.rbd.agent.RestoreRbdBackupCommand;
import io.rbdstack.storage.rbd.agent.CreateRbdImageCommand;
import io.rbdstack.storage.rbd.agent.CreateRbdSnapshotCommand;
import io.rbdstack.storage.rbd.agent.DeleteRbdSnapshotCommand;
import io.rbdstack.storage.rbd.agent.RbdSnapshotAnswer;
import io.rbdstack.storage.rbd.agent.RollbackRbdSnapshotCommand;
import io.rbdstack.storage.rbd.agent.DefineRbdPoolCommand;
import io.rbdstack.storage.rbd.agent.DeleteRbdImageCommand;
import io.rbdstack.storage.rbd.agent.DescribeRbdImageCommand;
import io.rbdstack.storage.rbd.agent.PurgeRbdImageAnswer;
import io.rbdstack.storage.rbd.agent.PurgeRbdImageCommand;
import io.rbdstack.storage.rbd.agent.RbdImageStateAnswer;
import io.rbdstack.storage.rbd.agent.RbdImageAnswer;
import io.rbdstack.storage.rbd.agent.RbdImageDeleteAnswer;
import io.rbdstack.storage.rbd.agent.RbdPool;
import io.rbdstack.storage.rbd.agent.RbdPoolCapacityAnswer;
import io.rbdstack.storage.rbd.agent.RbdPoolCapacityCommand;
import io.rbdstack.storage.rbd.agent.RemoveRbdPoolCommand;
import io.rbdstack.storage.rbd.agent.ResizeRbdImageCommand;
import io.rbdstack.storage.rbd.agent.TestRbdPoolAnswer;
import io.rbdstack.storage.rbd.agent.TestRbdPoolCommand;
import io.rbdstack.spi.storage.BackupFileRef;
import io.rbdstack.spi.storage.BackupInfo;
import io.rbdstack.spi.storage.BackupTarget;
import io.rbdstack.spi.storage.GroupSnapshotInfo;
import io.rbdstack.spi.storage.PoolCapacity;
import io.rbdstack.spi.storage.PoolDefinition;
import io.rbdstack.spi.storage.PoolScope;
import io.rbdstack.spi.storage.ProviderContext;
import io.rbdstack.spi.storage.ProviderOption;
import io.rbdstack.spi.storage.SnapshotInfo;
import io.rbdstack.spi.storage.StorageException;
import io.rbdstack.spi.storage.StorageProvider;
import io.rbdstack.spi.storage.StoredPool;
import io.rbdstack.spi.storage.TemplateInfo;
import io.rbdstack.spi.storage.TemplateSource;
import io.rbdstack.spi.storage.TransferProgress;
import io.rbdstack.spi.storage.VolumeInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** RBD primary storage: every operation is one agent command run by a host of the pool's scope. */
final class RbdStorageProvider implements StorageProvider {

    private final ProviderContext context;

    RbdStorageProvider(ProviderContext context) {
        this.context = context;
    }

    /** Read at each command: options are settings an admin may change while the server runs. */
    private Duration timeout() {
        return Duration.ofSeconds(seconds(RbdStorageProviderFactory.COMMAND_TIMEOUT_SECONDS));
    }

    /** {@code rbd.transfer.timeout.seconds} as it is now: the server's wait for every copy of a volume's data. */
    @Override
    public Duration longestTransfer(StoredPool pool) {
        return Duration.ofSeconds(seconds(RbdProviderOptions.TRANSFER_TIMEOUT_SECONDS));
    }

    /** A whole number of seconds from an option; a stored value out of the option's range counts as its default. */
    private long seconds(ProviderOption option) {
        return context.wholeNumber(option);
    }

    @Override
    public PoolDefinition parsePool(String url, Map<String, String> details) throws StorageException {
        try {
            RbdPoolDefinition parsed = RbdUrlParser.parse(url, details);
            return new PoolDefinition(MonitorAddresses.format(parsed.monitors()), parsed.cephPool(), parsed.cephUser(),
                    parsed.cephKey(), parsed.urlWithoutSecret());
        } catch (InvalidRbdDefinitionException e) {
            throw new StorageException(StorageException.Kind.INVALID, e.getMessage(), e);
        }
    }

    @Override
    public void testPool(PoolScope scope, PoolDefinition definition) throws StorageException {
        Answer answer = context.hosts().sendToAnyHost(scope, new TestRbdPoolCommand(rbdPool("probe", definition)),
                timeout());
        if (answer.success()) {
            return;
        }
        if (answer instanceof TestRbdPoolAnswer test && test.failure() != null) {
            throw new StorageException(kindOf(test.failure()), explain(test));
        }
        throw new StorageException(StorageException.Kind.FAILED, "The RBD pool test failed: " + answer.details());
    }

    @Override
    public void attachPool(String hostUuid, StoredPool pool) throws StorageException {
        expectSuccess(context.hosts().send(hostUuid, new DefineRbdPoolCommand(rbdPool(pool)), timeout()),
                "define RBD pool " + pool.name() + " on host " + hostUuid);
    }

    @Override
    public void detachPool(String hostUuid, StoredPool pool) throws StorageException {
        expectSuccess(context.hosts().send(hostUuid, new RemoveRbdPoolCommand(pool.uuid()), timeout()),
                "remove RBD pool " + pool.name() + " from host " + hostUuid);
    }

    @Override
    public PoolCapacity capacity(StoredPool pool) throws StorageException {
        Answer answer = send(pool, new RbdPoolCapacityCommand(rbdPool(pool)), "read the capacity of RBD pool " + pool.name());
        if (!(answer instanceof RbdPoolCapacityAnswer capacity)) {
            throw unexpected(answer);
        }
        return new PoolCapacity(capacity.totalBytes(), capacity.usedBytes());
    }

    @Override
    public VolumeInfo createVolume(StoredPool pool, String volumeUuid, long sizeBytes) throws StorageException {
        return image(send(pool, new CreateRbdImageCommand(rbdPool(pool), volumeUuid, sizeBytes),
                "create RBD image " + volumeUuid + " in pool " + pool.name()));
    }

    @Override
    public VolumeInfo resizeVolume(StoredPool pool, String path, long newSizeBytes) throws StorageException {
        return image(send(pool, new ResizeRbdImageCommand(rbdPool(pool), path, newSizeBytes),
                "resize RBD image " + path + " in pool " + pool.name()));
    }

    @Override
    public long deleteVolume(StoredPool pool, String path, long deferSeconds) throws StorageException {
        // The engine's deferral is the cloud-wide minimum; rbd.deferred.delete.seconds may keep RBD images longer.
        long defer = Math.max(Math.max(0, deferSeconds), seconds(RbdProviderOptions.DEFERRED_DELETE_SECONDS));
        String what = defer > 0 ? "move RBD image " + path + " to the trash of pool " + pool.name()
                : "delete RBD image " + path + " in pool " + pool.name();
        Answer answer = context.hosts().sendToAnyHost(pool.scope(), new DeleteRbdImageCommand(rbdPool(pool), path,
                defer), timeout());
        if (!answer.success()) {
            // In use: a client still has the image open (a killed qemu's watch lasts until Ceph times it out).
            boolean inUse = answer instanceof RbdImageDeleteAnswer refused && refused.inUse();
            throw new StorageException(inUse ? StorageException.Kind.IN_USE : StorageException.Kind.FAILED,
                    "Could not " + what + ": " + answer.details());
        }
        return defer;
    }

    @Override
    public Optional<VolumeInfo> describeVolume(StoredPool pool, String path) throws StorageException {
        Answer answer = send(pool, new DescribeRbdImageCommand(rbdPool(pool), path), "look at RBD image " + path
                + " in pool " + pool.name());
        if (!(answer instanceof RbdImageStateAnswer state)) {
            throw unexpected(answer);
        }
        return state.exists() ? Optional.of(new VolumeInfo(path, state.sizeBytes())) : Optional.empty();
    }

    @Override
    public boolean purgeDeletedVolume(StoredPool pool, String path) throws StorageException {
        Answer answer = send(pool, new PurgeRbdImageCommand(rbdPool(pool), path), "purge RBD image " + path
                + " from the trash of pool " + pool.name());
        if (!(answer instanceof PurgeRbdImageAnswer purge)) {
            throw unexpected(answer);
        }
        return purge.purged();
    }

    @Override
    public SnapshotInfo createSnapshot(StoredPool pool, String volumePath, String snapshotUuid) throws StorageException {
        Answer answer = send(pool, new CreateRbdSnapshotCommand(rbdPool(pool), volumePath, snapshotUuid),
                "take snapshot " + snapshotUuid + " of RBD image " + volumePath + " in pool " + pool.name());
        if (!(answer instanceof RbdSnapshotAnswer snapshot)) {
            throw unexpected(answer);
        }
        return new SnapshotInfo(snapshot.snapshot(), snapshot.sizeBytes());
    }

    @Override
    public void deleteSnapshot(StoredPool pool, String volumePath, String snapshotName) throws StorageException {
        send(pool, new DeleteRbdSnapshotCommand(rbdPool(pool), volumePath, snapshotName), "delete snapshot "
                + snapshotName + " of RBD image " + volumePath + " in pool " + pool.name());
    }

    @Override
    public VolumeInfo revertSnapshot(StoredPool pool, String volumePath, String snapshotName) throws StorageException {
        return image(sendTransfer(pool, new RollbackRbdSnapshotCommand(rbdPool(pool), volumePath, snapshotName),
                "roll RBD image " + volumePath + " in pool " + pool.name() + " back to snapshot " + snapshotName));
    }

    @Override
    public VolumeInfo createVolumeFromSnapshot(StoredPool pool, String volumePath, String snapshotName,
                                               String newVolumeUuid, TransferProgress progress) throws StorageException {
        return image(sendTransfer(pool, new CloneRbdSnapshotCommand(rbdPool(pool), volumePath, snapshotName, newVolumeUuid,
                false), "create RBD image " + newVolumeUuid + " from snapshot " + volumePath + "@" + snapshotName
                + " in pool " + pool.name(), progress));
    }

    @Override
    public VolumeInfo cloneSnapshot(StoredPool pool, String volumePath, String snapshotName, String newVolumeUuid)
            throws StorageException {
        return image(send(pool, new CloneRbdSnapshotCommand(rbdPool(pool), volumePath, snapshotName, newVolumeUuid,
                true), "clone snapshot " + volumePath + "@" + snapshotName + " into RBD image " + newVolumeUuid
                + " in pool " + pool.name()));
    }

    @Override
    public BackupInfo backupSnapshot(StoredPool pool, String volumePath, String snapshotName, String fromSnapshotName,
                                     BackupTarget target, TransferProgress progress) throws StorageException {
        Answer answer = sendTransfer(pool, new BackupRbdSnapshotCommand(rbdPool(pool), volumePath, snapshotName,
                fromSnapshotName, target.storeUrl(), target.path(), target.credentials()), "back up snapshot " + volumePath + "@"
                + snapshotName + (fromSnapshotName == null ? "" : " (changes since " + fromSnapshotName + ")"), progress);
        if (!(answer instanceof RbdBackupAnswer backup)) {
            throw unexpected(answer);
        }
        return new BackupInfo(backup.path(), backup.physicalSizeBytes(), backup.sha256());
    }

    @Override
    public VolumeInfo restoreVolume(StoredPool pool, String newVolumeUuid, long sizeBytes, List<BackupFileRef> chain,
                                    TransferProgress progress) throws StorageException {
        List<BackupFile> files = chain.stream().map(f -> new BackupFile(f.storeUrl(), f.path(), f.sha256(),
                f.credentials())).toList();
        return image(sendTransfer(pool, new RestoreRbdBackupCommand(rbdPool(pool), newVolumeUuid, sizeBytes, files),
                "restore RBD image " + newVolumeUuid + " in pool " + pool.name() + " from " + files.size()
                        + " backup file(s)", progress));
    }

    /** Templates are images named "tmpl-<uuid>", so they never clash with volumes (named by their uuid). */
    static String templateImage(String templateUuid) {
        return "tmpl-" + templateUuid;
    }

    /** The snapshot of a template image that root volumes are cloned from. */
    static final String TEMPLATE_SNAPSHOT = "base";

    @Override
    public TemplateInfo importTemplate(StoredPool pool, String templateUuid, TemplateSource source,
                                       TransferProgress progress) throws StorageException {
        String image = templateImage(templateUuid);
        Answer answer = sendTransfer(pool, new ImportRbdTemplateCommand(rbdPool(pool), image, TEMPLATE_SNAPSHOT,
                source.url(), source.format(), source.checksum() == null ? null : source.checksum().algorithm(),
                source.checksum() == null ? null : source.checksum().hex(), source.maxBytes()),
                "import template " + templateUuid + " into RBD pool " + pool.name(), progress);
        if (!(answer instanceof RbdTemplateAnswer template)) {
            throw unexpected(answer);
        }
        return new TemplateInfo(template.image(), template.snapshot(), template.sizeBytes());
    }

    @Override
    public void deleteTemplate(StoredPool pool, String templatePath) throws StorageException {
        deleteTemplate(pool, templatePath, false);
    }

    /** With {@code forced}, clones in the RBD trash (deleted volumes) are purged or flattened instead of refusing. */
    @Override
    public void deleteTemplate(StoredPool pool, String templatePath, boolean forced) throws StorageException {
        Duration timeout = longestTransfer(pool);
        Answer answer = context.hosts().sendToAnyHost(pool.scope(), new DeleteRbdTemplateCommand(rbdPool(pool),
                templatePath, TEMPLATE_SNAPSHOT, forced), timeout, TransferProgress.NONE);
        if (!answer.success()) {
            boolean inUse = answer instanceof RbdTemplateDeleteAnswer refused && refused.inUse();
            throw new StorageException(inUse ? StorageException.Kind.IN_USE : StorageException.Kind.FAILED,
                    "Could not delete template image " + templatePath + " in pool " + pool.name() + ": "
                            + answer.details());
        }
    }

    @Override
    public VolumeInfo createVolumeFromTemplate(StoredPool pool, TemplateInfo template, String volumeUuid,
                                               long sizeBytes) throws StorageException {
        return image(send(pool, new CloneRbdTemplateCommand(rbdPool(pool), template.path(), template.snapshot(),
                volumeUuid, sizeBytes), "clone template image " + template.path() + " into RBD image " + volumeUuid
                + " in pool " + pool.name()));
    }

    @Override
    public VolumeInfo flattenVolume(StoredPool pool, String path, TransferProgress progress) throws StorageException {
        return image(sendTransfer(pool, new FlattenRbdImageCommand(rbdPool(pool), path), "flatten RBD image " + path
                + " in pool " + pool.name(), progress));
    }

    @Override
    public GroupSnapshotInfo createGroupSnapshot(StoredPool pool, String groupName, List<String> volumePaths,
                                                 String snapshotName) throws StorageException {
        Answer answer = context.hosts().sendToAnyHost(pool.scope(), new CreateRbdGroupSnapshotCommand(rbdPool(pool),
                groupName, volumePaths, snapshotName), timeout());
        String what = "take group snapshot " + groupName + "@" + snapshotName + " of RBD images " + volumePaths
                + " in pool " + pool.name();
        if (!answer.success()) {
            boolean invalid = answer instanceof RbdGroupSnapshotAnswer refused && refused.invalidRequest();
            throw new StorageException(invalid ? StorageException.Kind.INVALID : StorageException.Kind.FAILED,
                    "Could not " + what + ": " + answer.details());
        }
        if (!(answer instanceof RbdGroupSnapshotAnswer taken)) {
            throw unexpected(answer);
        }
        return new GroupSnapshotInfo(taken.group(), taken.snapshot(), taken.images().stream()
                .map(i -> new GroupSnapshotInfo.VolumeSnapshot(i.image(), i.sizeBytes())).toList());
    }

    @Override
    public List<String> listGroupSnapshots(StoredPool pool, String groupName) throws StorageException {
        Answer answer = send(pool, new ListRbdGroupSnapshotsCommand(rbdPool(pool), groupName),
                "list the snapshots of group " + groupName + " in RBD pool " + pool.name());
        if (!(answer instanceof RbdGroupSnapshotsAnswer list)) {
            throw unexpected(answer);
        }
        return list.snapshots().stream().filter(RbdGroupSnapshotsAnswer.Entry::complete)
                .map(RbdGroupSnapshotsAnswer.Entry::name).toList();
    }

    @Override
    public void revertGroupSnapshot(StoredPool pool, String groupName, String snapshotName) throws StorageException {
        Duration timeout = longestTransfer(pool);
        Answer answer = context.hosts().sendToAnyHost(pool.scope(), new RollbackRbdGroupSnapshotCommand(rbdPool(pool),
                groupName, snapshotName), timeout, TransferProgress.NONE);
        if (!answer.success()) {
            boolean inUse = answer instanceof RbdGroupRollbackAnswer rollback && rollback.inUse();
            throw new StorageException(inUse ? StorageException.Kind.IN_USE : StorageException.Kind.FAILED,
                    "Could not roll group " + groupName + " in RBD pool " + pool.name() + " back to snapshot "
                            + snapshotName + ": " + answer.details());
        }
    }

    @Override
    public void deleteGroupSnapshot(StoredPool pool, String groupName, String snapshotName) throws StorageException {
        send(pool, new DeleteRbdGroupSnapshotCommand(rbdPool(pool), groupName, snapshotName), "delete group snapshot "
                + groupName + "@" + snapshotName + " in RBD pool " + pool.name());
    }

    @Override
    public void deleteGroup(StoredPool pool, String groupName) throws StorageException {
        send(pool, new DeleteRbdGroupCommand(rbdPool(pool), groupName), "delete group " + groupName + " in RBD pool "
                + pool.name());
    }

    private Answer send(StoredPool pool, AgentCommand command, String what) throws StorageException {
        return expectSuccess(context.hosts().sendToAnyHost(pool.scope(), command, timeout()), what);
    }

    /** For commands that copy or roll back a volume's data: their time grows with its size. */
    private Answer sendTransfer(StoredPool pool, AgentCommand command, String what) throws StorageException {
        return sendTransfer(pool, command, what, TransferProgress.NONE);
    }

    /** A copy whose agent reports the bytes done, handed to {@code progress}. */
    private Answer sendTransfer(StoredPool pool, AgentCommand command, String what, TransferProgress progress)
            throws StorageException {
        Duration timeout = longestTransfer(pool);
        return expectSuccess(context.hosts().sendToAnyHost(pool.scope(), command, timeout, progress), what);
    }

    private static Answer expectSuccess(Answer answer, String what) throws StorageException {
        if (!answer.success()) {
            throw new StorageException(StorageException.Kind.FAILED, "Could not " + what + ": " + answer.details());
        }
        return answer;
    }

    private static VolumeInfo image(Answer answer) throws StorageException {
        if (!(answer instanceof RbdImageAnswer image)) {
            throw unexpected(answer);
        }
        return new VolumeInfo(image.image(), image.sizeBytes());
    }

    private static StorageException unexpected(Answer answer) {
        return new StorageException(StorageException.Kind.FAILED, "Unexpected answer from the agent: "
                + answer.getClass().getSimpleName());
    }

    private static RbdPool rbdPool(StoredPool pool) throws StorageException {
        return rbdPool(pool.uuid(), pool.definition());
    }

    /** The agent's view of a pool; INVALID (not an internal error) when what is stored of it cannot be read. */
    private static RbdPool rbdPool(String uuid, PoolDefinition definition) throws StorageException {
        try {
            return new RbdPool(uuid, MonitorAddresses.parse(definition.hostAddress()), definition.path(),
                    definition.user(), definition.secret());
        } catch (IllegalArgumentException e) {
            throw new StorageException(StorageException.Kind.INVALID, "RBD pool " + uuid + " cannot be used: "
                    + e.getMessage());
        }
    }

    static StorageException.Kind kindOf(TestRbdPoolAnswer.Failure failure) {
        return switch (failure) {
            case BAD_CREDENTIALS, NO_SUCH_POOL, NOT_WRITABLE -> StorageException.Kind.INVALID;
            case MONITORS_UNREACHABLE, LIBVIRT_WITHOUT_RBD, OTHER -> StorageException.Kind.FAILED;
        };
    }

    private static String explain(TestRbdPoolAnswer answer) {
        String reason = switch (answer.failure()) {
            case BAD_CREDENTIALS -> "Ceph refused the user or key";
            case NO_SUCH_POOL -> "the Ceph pool does not exist";
            case NOT_WRITABLE -> "the Ceph user cannot write to the pool";
            case MONITORS_UNREACHABLE -> "no Ceph monitor answered";
            case LIBVIRT_WITHOUT_RBD -> "the host's libvirt was built without RBD storage support and must be"
                    + " rebuilt with it or replaced by a build that has it";
            case OTHER -> "the RBD pool test failed";
        };
        return reason + (answer.details() == null ? "" : ": " + answer.details());
    }
}
