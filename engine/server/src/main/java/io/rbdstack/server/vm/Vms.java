package io.rbdstack.server.vm;

import io.rbdstack.server.agent.AgentConnections;
import io.rbdstack.server.alert.Alerts;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.api.CommandRegistry;
import io.rbdstack.server.api.Owners;
import io.rbdstack.server.db.Jdbc;
import io.rbdstack.server.event.ActionEvents;
import io.rbdstack.server.infra.ZoneRepository;
import io.rbdstack.server.network.GuestNics;
import io.rbdstack.server.offering.DiskOfferingRepository;
import io.rbdstack.server.offering.ServiceOfferingRepository;
import io.rbdstack.server.settings.SettingsRepository;
import io.rbdstack.server.storage.StoragePoolRepository;
import io.rbdstack.server.storage.StoragePoolService;
import io.rbdstack.server.template.TemplateImport;
import io.rbdstack.server.template.TemplateRepository;
import io.rbdstack.server.volume.VolumeRepository;
import io.rbdstack.server.volume.VolumeService;
import java.util.Optional;
import java.util.function.Function;

/** The VM lifecycle's parts, wired once by the management server: its commands and its state sync. */
public final class Vms {

    /** What the VM code uses of the rest of the server. */
    public record Uses(Jdbc jdbc, ZoneRepository zones, ServiceOfferingRepository serviceOfferings,
                       DiskOfferingRepository diskOfferings, TemplateRepository templates, TemplateImport imports,
                       StoragePoolRepository pools, StoragePoolService poolService, VolumeRepository volumes,
                       VolumeService volumeService,
                       GuestNics nics, AgentConnections agents, SettingsRepository settings, Owners owners,
                       ActionEvents events, Alerts alerts, Function<Long, Optional<Caller>> userOf) {
    }

    private final VmCommands.Deps deps;
    private final VmSnapshotCommands.Deps snapshotDeps;
    private final VmSync sync;

    public Vms(Uses u) {
        VmRepository vms = new VmRepository(u.jdbc());
        VmVolumes vmVolumes = new VmVolumes(u.jdbc());
        VmHosts hosts = new VmHosts(u.jdbc());
        VmAgent agent = new VmAgent(u.agents());
        VmPower power = new VmPower(u.jdbc(), vms, vmVolumes, hosts, u.nics(), agent, u.settings());
        VmSnapshotRepository snapshotRows = new VmSnapshotRepository(u.jdbc());
        VmSnapshots snapshots = new VmSnapshots(u.jdbc(), vms, vmVolumes, snapshotRows, u.volumes(), u.pools(),
                u.poolService(), new GuestQuiesce(agent, vms), u.settings());
        this.snapshotDeps = new VmSnapshotCommands.Deps(snapshots, snapshotRows, vms, u.nics(), u.owners(), u.events());
        this.deps = new VmCommands.Deps(vms,
                new VmRequests(u.jdbc(), u.zones(), u.serviceOfferings(), u.diskOfferings(), u.templates(), u.volumes(),
                        u.settings(), u.owners(), u.userOf()),
                new VmDeployment(u.jdbc(), vms, vmVolumes, u.nics(), u.volumeService(), u.templates(), u.imports(),
                        u.pools(), u.volumes()),
                power,
                new VmDestroyer(vms, vmVolumes, u.volumes(), u.volumeService(), u.nics(), power, snapshots,
                        u.settings(), u.alerts(), u.events(), u.userOf()),
                new VolumeAttachments(u.jdbc(), vms, vmVolumes, u.volumes(), agent, snapshotRows),
                new VmNics(u.jdbc(), vms, vmVolumes, u.nics(), agent, snapshotRows,
                        new DatabaseVmNicLocks(u.jdbc().dataSource(), VmNics.NIC_LOCK_TIMEOUT)),
                u.nics(), u.volumes(), u.owners(), u.events());
        this.sync = new VmSync(vms, hosts, agent, u.nics(), u.events(), u.alerts(), u.userOf());
    }

    /**
     * deleteAccount's first step: each VM of the account forced off and expunged (its root volume deleted);
     * its data disks are detached, for the account deletion to delete with its other volumes.
     */
    public void expungeAllOf(long accountId) {
        for (VmRepository.VmRow vm : deps.vms().ofAccount(accountId)) {
            VmRepository.VmRow stopped = deps.power().stop(vm, true);
            deps.destroyer().destroy(stopped, true, java.util.List.of());
        }
    }

    public void register(CommandRegistry registry) {
        VmCommands.register(registry, deps);
        VmSnapshotCommands.register(registry, snapshotDeps);
    }

    /** The state sync: the background scheduler runs {@link VmSync#syncAll}, agent connections {@link VmSync#hostConnected}. */
    public VmSync sync() {
        return sync;
    }
}
