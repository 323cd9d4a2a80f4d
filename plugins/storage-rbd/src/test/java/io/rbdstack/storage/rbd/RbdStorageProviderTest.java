package io.rbdstack.storage.rbd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rbdstack.spi.Secret;
import io.rbdstack.spi.agent.AgentCommand;
import io.rbdstack.spi.agent.Answer;
import io.rbdstack.storage.rbd.agent.CephMonitor;
import io.rbdstack.storage.rbd.agent.CreateRbdImageCommand;
import io.rbdstack.storage.rbd.agent.BackupRbdSnapshotCommand;
import io.rbdstack.storage.rbd.agent.DeleteRbdImageCommand;
import io.rbdstack.storage.rbd.agent.RbdBackupAnswer;
import io.rbdstack.storage.rbd.agent.DescribeRbdImageCommand;
import io.rbdstack.storage.rbd.agent.PurgeRbdImageAnswer;
import io.rbdstack.storage.rbd.agent.PurgeRbdImageCommand;
import io.rbdstack.storage.rbd.agent.RbdImageStateAnswer;
import io.rbdstack.storage.rbd.agent.RbdImageAnswer;
import io.rbdstack.storage.rbd.agent.RbdPool;
import io.rbdstack.storage.rbd.agent.RbdPoolCapacityAnswer;
import io.rbdstack.storage.rbd.agent.TestRbdPoolAnswer;
import io.rbdstack.storage.rbd.agent.TestRbdPoolCommand;
import io.rbdstack.spi.storage.GroupSnapshotInfo;
import io.rbdstack.spi.storage.HostGateway;
import io.rbdstack.spi.storage.PoolDefinition;
import io.rbdstack.spi.storage.PoolScope;
import io.rbdstack.spi.storage.ProviderContext;
import io.rbdstack.spi.storage.StorageException;
import io.rbdstack.spi.storage.StorageProvider;
import io.rbdstack.spi.storage.StorageProviderFactory;
import io.rbdstack.spi.storage.BackupFileRef;
import io.rbdstack.spi.storage.BackupTarget;
import io.rbdstack.spi.storage.StoredPool;
import io.rbdstack.spi.storage.VolumeInfo;
import io.rbdstack.spi.storage.TemplateChecksum;
import io.rbdstack.spi.storage.TemplateInfo;
import io.rbdstack.spi.storage.TemplateSource;
import io.rbdstack.storage.rbd.agent.CloneRbdTemplateCommand;
import io.rbdstack.storage.rbd.agent.CreateRbdGroupSnapshotCommand;
import io.rbdstack.storage.rbd.agent.ListRbdGroupSnapshotsCommand;
import io.rbdstack.storage.rbd.agent.DeleteRbdTemplateCommand;
import io.rbdstack.storage.rbd.agent.RbdTemplateDeleteAnswer;
import io.rbdstack.storage.rbd.agent.RbdGroupRollbackAnswer;
import io.rbdstack.storage.rbd.agent.RbdGroupSnapshotAnswer;
import io.rbdstack.storage.rbd.agent.RbdGroupSnapshotsAnswer;
import io.rbdstack.storage.rbd.agent.ImportRbdTemplateCommand;
import io.rbdstack.storage.rbd.agent.RbdTemplateAnswer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The provider's own logic: which command it sends and how it reads the answers (no agent involved). */
class RbdStorageProviderTest {

    private static final PoolDefinition DEFINITION = new PoolDefinition("10.0.0.1:6789,[2001:db8::1]:3300", "rbd",
            "cloudstack", Secret.of("AQAAsecret=="), "rbd://cloudstack@10.0.0.1:6789,[2001:db8::1]:3300/rbd");

    /** Records commands and answers them with {@code answers}. */
    private static final class ScriptedGateway implements HostGateway {
        final List<AgentCommand> sent = new ArrayList<>();
        final List<Duration> timeouts = new ArrayList<>();
        final Function<AgentCommand, Answer> answers;

        ScriptedGateway(Function<AgentCommand, Answer> answers) {
            this.answers = answers;
        }

        @Override
        public List<String> upHosts(PoolScope scope) {
            return List.of("host-1");
        }

        @Override
        public Answer send(String hostUuid, AgentCommand command, Duration timeout) {
            sent.add(command);
            timeouts.add(timeout);
            return answers.apply(command);
        }

        /** As the agent would, reports half of the work done before answering. */
        @Override
        public Answer send(String hostUuid, AgentCommand command, Duration timeout,
                           io.rbdstack.spi.storage.TransferProgress progress) {
            progress.update(5, 10);
            return send(hostUuid, command, timeout);
        }
    }

    private static StorageProvider provider(HostGateway gateway) {
        return new RbdStorageProviderFactory().create(new ProviderContext(Map.of(), gateway));
    }

    @Test
    void theFactoryIsFoundWithServiceLoader() {
        List<String> names = ServiceLoader.load(StorageProviderFactory.class).stream()
                .map(p -> p.get().name()).toList();
        assertEquals(List.of("RBD"), names);
    }

    @Test
    void testPoolSendsEveryMonitorAndTheKeyToOneHost() throws Exception {
        ScriptedGateway gateway = new ScriptedGateway(c -> TestRbdPoolAnswer.ok());
        provider(gateway).testPool(PoolScope.zone("z"), DEFINITION);
        RbdPool pool = assertInstanceOf(TestRbdPoolCommand.class, gateway.sent.get(0)).pool();
        assertEquals(List.of(new CephMonitor("10.0.0.1", 6789), new CephMonitor("2001:db8::1", 3300)), pool.monitors());
        assertEquals("AQAAsecret==", pool.cephKey().reveal());
        assertEquals("cloudstack", pool.cephUser());
    }

    @Test
    void badKeyIsAnInvalidParameterAndUnreachableMonitorsAFailure() {
        StorageException badKey = assertThrows(StorageException.class, () -> provider(new ScriptedGateway(
                c -> TestRbdPoolAnswer.failed(TestRbdPoolAnswer.Failure.BAD_CREDENTIALS, "cephx: EACCES")))
                .testPool(PoolScope.zone("z"), DEFINITION));
        assertEquals(StorageException.Kind.INVALID, badKey.kind());
        assertEquals("Ceph refused the user or key: cephx: EACCES", badKey.getMessage());

        StorageException down = assertThrows(StorageException.class, () -> provider(new ScriptedGateway(
                c -> TestRbdPoolAnswer.failed(TestRbdPoolAnswer.Failure.MONITORS_UNREACHABLE, "timed out after 15 s")))
                .testPool(PoolScope.zone("z"), DEFINITION));
        assertEquals(StorageException.Kind.FAILED, down.kind());
    }

    @Test
    void libvirtWithoutRbdSaysWhatToDo() {
        StorageException e = assertThrows(StorageException.class, () -> provider(new ScriptedGateway(
                c -> TestRbdPoolAnswer.failed(TestRbdPoolAnswer.Failure.LIBVIRT_WITHOUT_RBD, null)))
                .testPool(PoolScope.zone("z"), DEFINITION));
        assertTrue(e.getMessage().contains("libvirt was built without RBD storage support and must be rebuilt"),
                e.getMessage());
    }

    @Test
    void aTemplateIsImportedAsTmplUuidWithItsBaseSnapshotAndClonedFromIt() throws Exception {
        StoredPool pool = new StoredPool("p", "pool", PoolScope.zone("z"), DEFINITION);
        ScriptedGateway gateway = new ScriptedGateway(c -> c instanceof ImportRbdTemplateCommand
                ? new RbdTemplateAnswer(true, null, "tmpl-t1", "base", 1000)
                : new RbdImageAnswer(true, null, "v1", 4000));
        List<Long> progress = new ArrayList<>();
        TemplateInfo template = provider(gateway).importTemplate(pool, "t1", new TemplateSource("http://h/t.qcow2",
                "QCOW2", TemplateChecksum.parse("{MD5}" + "a".repeat(32)), 1L << 30), (done, total) -> progress.add(done));
        assertEquals(new TemplateInfo("tmpl-t1", "base", 1000), template);
        assertEquals(List.of(5L), progress, "the agent's progress reaches the caller");
        ImportRbdTemplateCommand sent = assertInstanceOf(ImportRbdTemplateCommand.class, gateway.sent.get(0));
        assertEquals(List.of("tmpl-t1", "base", "http://h/t.qcow2", "QCOW2", "MD5", "a".repeat(32)),
                List.of(sent.image(), sent.snapshot(), sent.url(), sent.format(), sent.checksumAlgorithm(),
                        sent.checksumHex()));

        VolumeInfo clone = provider(gateway).createVolumeFromTemplate(pool, template, "v1", 4000);
        assertEquals(new VolumeInfo("v1", 4000), clone);
        CloneRbdTemplateCommand cloned = assertInstanceOf(CloneRbdTemplateCommand.class, gateway.sent.get(1));
        assertEquals(List.of("tmpl-t1", "base", "v1"), List.of(cloned.image(), cloned.snapshot(), cloned.newImage()));
        assertEquals(4000, cloned.sizeBytes());
    }

    @Test
    void aGroupSnapshotNamesEachVolumeWithItsSizeAndSaysWhoseFaultAFailureIs() throws Exception {
        StoredPool pool = new StoredPool("p", "pool", PoolScope.zone("z"), DEFINITION);
        ScriptedGateway gateway = new ScriptedGateway(c -> new RbdGroupSnapshotAnswer(true, null, "vm-1", "s1",
                List.of(new RbdGroupSnapshotAnswer.ImageSize("v1", 100), new RbdGroupSnapshotAnswer.ImageSize("v2", 200)),
                false));
        GroupSnapshotInfo taken = provider(gateway).createGroupSnapshot(pool, "vm-1", List.of("v1", "v2"), "s1");
        assertEquals(new GroupSnapshotInfo("vm-1", "s1", List.of(new GroupSnapshotInfo.VolumeSnapshot("v1", 100),
                new GroupSnapshotInfo.VolumeSnapshot("v2", 200))), taken);
        CreateRbdGroupSnapshotCommand sent = assertInstanceOf(CreateRbdGroupSnapshotCommand.class, gateway.sent.get(0));
        assertEquals(List.of("vm-1", "s1", "v1,v2"), List.of(sent.group(), sent.snapshot(), String.join(",",
                sent.images())));

        StorageException otherGroup = assertThrows(StorageException.class, () -> provider(new ScriptedGateway(
                c -> RbdGroupSnapshotAnswer.failed("image rbd/v1 already belongs to group vm-2", true)))
                .createGroupSnapshot(pool, "vm-1", List.of("v1"), "s1"));
        assertEquals(StorageException.Kind.INVALID, otherGroup.kind());
        assertTrue(otherGroup.getMessage().endsWith("image rbd/v1 already belongs to group vm-2"), otherGroup.getMessage());
        StorageException broken = assertThrows(StorageException.class, () -> provider(new ScriptedGateway(
                c -> RbdGroupSnapshotAnswer.failed("EIO", false))).createGroupSnapshot(pool, "vm-1", List.of("v1"), "s1"));
        assertEquals(StorageException.Kind.FAILED, broken.kind());
    }

    @Test
    void aRevertRefusedForAVolumeInUseIsInUseAndOnlyCompleteGroupSnapshotsAreListed() throws Exception {
        StoredPool pool = new StoredPool("p", "pool", PoolScope.zone("z"), DEFINITION);
        StorageException inUse = assertThrows(StorageException.class, () -> provider(new ScriptedGateway(
                c -> new RbdGroupRollbackAnswer(false, "image rbd/v1 is in use", true)))
                .revertGroupSnapshot(pool, "vm-1", "s1"));
        assertEquals(StorageException.Kind.IN_USE, inUse.kind());
        StorageException failed = assertThrows(StorageException.class, () -> provider(new ScriptedGateway(
                c -> new RbdGroupRollbackAnswer(false, "EIO", false))).revertGroupSnapshot(pool, "vm-1", "s1"));
        assertEquals(StorageException.Kind.FAILED, failed.kind());

        ScriptedGateway lists = new ScriptedGateway(c -> new RbdGroupSnapshotsAnswer(true, null, List.of(
                new RbdGroupSnapshotsAnswer.Entry("s1", true), new RbdGroupSnapshotsAnswer.Entry("s2", false))));
        assertEquals(List.of("s1"), provider(lists).listGroupSnapshots(pool, "vm-1"));
        assertEquals("vm-1", assertInstanceOf(ListRbdGroupSnapshotsCommand.class, lists.sent.get(0)).group());
    }

    @Test
    void aTemplateDeleteSaysWhetherToFlattenTrashedClonesAndClonesMakeItInUse() throws Exception {
        StoredPool pool = new StoredPool("p", "pool", PoolScope.zone("z"), DEFINITION);
        ScriptedGateway gateway = new ScriptedGateway(c -> new RbdTemplateDeleteAnswer(true, null, false));
        provider(gateway).deleteTemplate(pool, "tmpl-t1");
        provider(gateway).deleteTemplate(pool, "tmpl-t1", true);
        assertEquals(List.of("tmpl-t1@base false", "tmpl-t1@base true"), gateway.sent.stream()
                .map(c -> assertInstanceOf(DeleteRbdTemplateCommand.class, c))
                .map(c -> c.image() + "@" + c.snapshot() + " " + c.flattenTrashedClones()).toList());

        StorageException inUse = assertThrows(StorageException.class, () -> provider(new ScriptedGateway(
                c -> new RbdTemplateDeleteAnswer(false, "2 deleted volume(s) in the RBD trash still depend on it", true)))
                .deleteTemplate(pool, "tmpl-t1", false));
        assertEquals(StorageException.Kind.IN_USE, inUse.kind());
        assertTrue(inUse.getMessage().endsWith("2 deleted volume(s) in the RBD trash still depend on it"));
    }

    @Test
    void aFailedImportIsAStorageFailureWithTheAgentsReason() {
        StoredPool pool = new StoredPool("p", "pool", PoolScope.zone("z"), DEFINITION);
        StorageException e = assertThrows(StorageException.class, () -> provider(new ScriptedGateway(
                c -> RbdTemplateAnswer.failed("Checksum mismatch: …"))).importTemplate(pool, "t1",
                new TemplateSource("http://h/t.raw", "RAW", null, 1L << 30), (d, t) -> { }));
        assertTrue(e.getMessage().endsWith("Checksum mismatch: …"), e.getMessage());
    }

    @Test
    void capacityHonoursTheQuota() throws Exception {
        StoredPool pool = new StoredPool("p", "pool", PoolScope.zone("z"), DEFINITION);
        var withQuota = provider(new ScriptedGateway(c -> new RbdPoolCapacityAnswer(true, null, 100, 900, 500)))
                .capacity(pool);
        assertEquals(500, withQuota.totalBytes());
        assertEquals(100, withQuota.usedBytes());
        var noQuota = provider(new ScriptedGateway(c -> new RbdPoolCapacityAnswer(true, null, 100, 900, 0))).capacity(pool);
        assertEquals(1000, noQuota.totalBytes());
    }

    @Test
    void aDeleteRefusedBecauseAClientStillHasTheImageOpenIsInUseAndAnyOtherRefusalFailed() {
        StoredPool pool = new StoredPool("p", "pool", PoolScope.zone("z"), DEFINITION);
        StorageException busy = assertThrows(StorageException.class, () -> provider(new ScriptedGateway(c ->
                new io.rbdstack.storage.rbd.agent.RbdImageDeleteAnswer(false, "a client still has it open: EBUSY",
                        true))).deleteVolume(pool, "img", 0));
        assertEquals(StorageException.Kind.IN_USE, busy.kind());
        assertTrue(busy.getMessage().contains("a client still has it open"), busy.getMessage());
        StorageException other = assertThrows(StorageException.class, () -> provider(new ScriptedGateway(c ->
                new io.rbdstack.storage.rbd.agent.RbdImageDeleteAnswer(false, "EIO", false))).deleteVolume(pool,
                "img", 0));
        assertEquals(StorageException.Kind.FAILED, other.kind());
    }

    @Test
    void deleteDefersByTheLongerOfTheEnginesDeferralAndTheRbdOptionReadAtEachCall() throws Exception {
        StoredPool pool = new StoredPool("p", "pool", PoolScope.zone("z"), DEFINITION);
        ScriptedGateway gateway = new ScriptedGateway(c -> new RbdImageAnswer(true, null, "img", 0));
        Map<String, String> settings = new java.util.concurrent.ConcurrentHashMap<>();
        StorageProvider provider = new RbdStorageProviderFactory().create(new ProviderContext(
                name -> java.util.Optional.ofNullable(settings.get(name)), gateway));

        assertEquals(0, provider.deleteVolume(pool, "img", 0), "defaults: delete at once");
        assertEquals(120, provider.deleteVolume(pool, "img", 120), "the engine's deferral");
        settings.put("rbd.deferred.delete.seconds", "3600");
        assertEquals(3600, provider.deleteVolume(pool, "img", 120), "the option, changed while running, is longer");
        assertEquals(7200, provider.deleteVolume(pool, "img", 7200), "the engine's deferral is longer");
        settings.put("rbd.deferred.delete.seconds", "-4");
        assertEquals(0, provider.deleteVolume(pool, "img", -1), "a value out of the option's range is its default");

        assertEquals(List.of(0L, 120L, 3600L, 7200L, 0L), gateway.sent.stream()
                .map(c -> assertInstanceOf(DeleteRbdImageCommand.class, c).deferSeconds()).toList());
    }

    @Test
    void aFailedDeleteSaysWhetherItWasToGoToTheTrash() {
        StoredPool pool = new StoredPool("p", "pool", PoolScope.zone("z"), DEFINITION);
        StorageProvider provider = provider(new ScriptedGateway(c -> new RbdImageAnswer(false, "EBUSY", "img", 0)));
        StorageException now = assertThrows(StorageException.class, () -> provider.deleteVolume(pool, "img", 0));
        assertEquals("Could not delete RBD image img in pool pool: EBUSY", now.getMessage());
        StorageException later = assertThrows(StorageException.class, () -> provider.deleteVolume(pool, "img", 60));
        assertEquals("Could not move RBD image img to the trash of pool pool: EBUSY", later.getMessage());
    }

    @Test
    void describeReadsWhetherTheImageExistsAndItsSize() throws Exception {
        StoredPool pool = new StoredPool("p", "pool", PoolScope.zone("z"), DEFINITION);
        ScriptedGateway present = new ScriptedGateway(c -> new RbdImageStateAnswer(true, null, true, 5L << 30));
        assertEquals(java.util.Optional.of(new VolumeInfo("img", 5L << 30)), provider(present).describeVolume(pool, "img"));
        assertEquals("img", assertInstanceOf(DescribeRbdImageCommand.class, present.sent.get(0)).image());
        ScriptedGateway absent = new ScriptedGateway(c -> new RbdImageStateAnswer(true, null, false, 0));
        assertEquals(java.util.Optional.empty(), provider(absent).describeVolume(pool, "img"));
        StorageException failed = assertThrows(StorageException.class, () -> provider(new ScriptedGateway(
                c -> RbdImageStateAnswer.failed("ETIMEDOUT"))).describeVolume(pool, "img"));
        assertEquals("Could not look at RBD image img in pool pool: ETIMEDOUT", failed.getMessage());
    }

    @Test
    void purgeSaysWhetherTheTrashStillKeepsTheImage() throws Exception {
        StoredPool pool = new StoredPool("p", "pool", PoolScope.zone("z"), DEFINITION);
        assertTrue(provider(new ScriptedGateway(c -> new PurgeRbdImageAnswer(true, null, true, 0)))
                .purgeDeletedVolume(pool, "img"));
        ScriptedGateway kept = new ScriptedGateway(c -> new PurgeRbdImageAnswer(true, null, false, 1_900_000_000L));
        assertFalse(provider(kept).purgeDeletedVolume(pool, "img"));
        assertEquals("img", assertInstanceOf(PurgeRbdImageCommand.class, kept.sent.get(0)).image());
        StorageException failed = assertThrows(StorageException.class, () -> provider(new ScriptedGateway(
                c -> PurgeRbdImageAnswer.failed("EIO"))).purgeDeletedVolume(pool, "img"));
        assertEquals("Could not purge RBD image img from the trash of pool pool: EIO", failed.getMessage());
    }

    @Test
    void commandsThatCopyAVolumesDataWaitTheTransferTimeoutOthersTheCommandTimeout() throws Exception {
        StoredPool pool = new StoredPool("p", "pool", PoolScope.zone("z"), DEFINITION);
        ScriptedGateway gateway = new ScriptedGateway(c -> c instanceof BackupRbdSnapshotCommand
                ? new RbdBackupAnswer(true, null, "f", 1, "00") : new RbdImageAnswer(true, null, "img", 1));
        StorageProvider provider = provider(gateway);
        List<String> reports = new ArrayList<>();
        provider.backupSnapshot(pool, "img", "s2", "s1", new BackupTarget("file:///b", "f"),
                (done, total) -> reports.add("backup " + done + "/" + total));
        provider.restoreVolume(pool, "new", 1, List.of(new BackupFileRef("file:///b", "f", "00")),
                (done, total) -> reports.add("restore " + done + "/" + total));
        provider.createVolumeFromSnapshot(pool, "img", "s2", "new2", (done, total) -> reports.add("clone " + done
                + "/" + total));
        provider.createVolume(pool, "vol", 1);
        assertEquals(List.of(Duration.ofHours(6), Duration.ofHours(6), Duration.ofHours(6), Duration.ofSeconds(60)),
                gateway.timeouts);
        // Each copy hands the agent's progress reports on to the caller's listener.
        assertEquals(List.of("backup 5/10", "restore 5/10", "clone 5/10"), reports);
        BackupRbdSnapshotCommand backup = assertInstanceOf(BackupRbdSnapshotCommand.class, gateway.sent.get(0));
        assertEquals("s1", backup.fromSnapshot());
        assertEquals("file:///b", backup.storeUrl());
    }

    // The engine keeps an unaccepted backup attempt's files at least this long: it must be the wait a backup gets,
    // read live (a timeout raised to a week with updateConfiguration counts from the next call on).
    @Test
    void theLongestTransferDeclaredIsTheTransferTimeoutAsItIsNow() throws Exception {
        StoredPool pool = new StoredPool("p", "pool", PoolScope.zone("z"), DEFINITION);
        Map<String, String> settings = new java.util.concurrent.ConcurrentHashMap<>();
        ScriptedGateway gateway = new ScriptedGateway(c -> new RbdBackupAnswer(true, null, "f", 1, "00"));
        StorageProvider provider = new RbdStorageProviderFactory().create(new ProviderContext(
                name -> java.util.Optional.ofNullable(settings.get(name)), gateway));
        assertEquals(Duration.ofHours(6), provider.longestTransfer(pool), "the default, 21600 s");

        settings.put("rbd.transfer.timeout.seconds", "604800");
        provider.backupSnapshot(pool, "img", "s2", null, new BackupTarget("file:///b", "f"), (done, total) -> { });
        assertEquals(Duration.ofDays(7), provider.longestTransfer(pool));
        assertEquals(List.of(provider.longestTransfer(pool)), gateway.timeouts, "what a backup waits");
        StoredPool withoutSecret = new StoredPool("p", "pool", PoolScope.zone("z"), new PoolDefinition(
                DEFINITION.hostAddress(), DEFINITION.path(), DEFINITION.user(), null, ""));
        assertEquals(Duration.ofDays(7), provider.longestTransfer(withoutSecret), "as the engine asks: no secret");
    }

    @Test
    void createNamesTheImageAfterTheVolume() throws Exception {
        StoredPool pool = new StoredPool("p", "pool", PoolScope.zone("z"), DEFINITION);
        ScriptedGateway gateway = new ScriptedGateway(c -> new RbdImageAnswer(true, null, "vol-1", 1L << 30));
        assertEquals(new io.rbdstack.spi.storage.VolumeInfo("vol-1", 1L << 30),
                provider(gateway).createVolume(pool, "vol-1", 1L << 30));
        CreateRbdImageCommand create = assertInstanceOf(CreateRbdImageCommand.class, gateway.sent.get(0));
        assertEquals("vol-1", create.image());
        assertEquals(1L << 30, create.sizeBytes());
    }

    @Test
    void storedMonitorFormRoundTrips() {
        List<CephMonitor> monitors = List.of(new CephMonitor("ceph-a.example.com", 6789),
                new CephMonitor("192.0.2.7", 3300), new CephMonitor("2001:db8::5", 6789));
        assertEquals(monitors, MonitorAddresses.parse(MonitorAddresses.format(monitors)));
    }

    @Test
    void unreadableStoredMonitorsFailAsAnInvalidPoolNamingTheEntryAndNothingIsSent() {
        ScriptedGateway gateway = new ScriptedGateway(c -> new RbdPoolCapacityAnswer(true, null, 100, 900, 0));
        for (String stored : List.of("mon", "10.0.0.1:port", ":6789", "10.0.0.1:6789,", " ")) {
            StoredPool pool = new StoredPool("p", "pool", PoolScope.zone("z"), new PoolDefinition(stored, "rbd",
                    "cloudstack", Secret.of("AQAAsecret=="), "rbd://cloudstack@" + stored + "/rbd"));
            StorageException e = assertThrows(StorageException.class, () -> provider(gateway).capacity(pool), stored);
            assertEquals(StorageException.Kind.INVALID, e.kind(), stored);
            assertTrue(e.getMessage().startsWith("RBD pool p cannot be used: "), e.getMessage());
            assertFalse(e.getMessage().contains("AQAAsecret"), e.getMessage());
        }
        assertTrue(gateway.sent.isEmpty(), "no command for a pool whose monitors cannot be read");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MonitorAddresses.parse("mon")).getMessage()
                .contains("'mon'"));
    }
}
