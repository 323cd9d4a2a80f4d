package io.rbdstack.server.vm;

import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.api.AsyncCommand;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.db.Jdbc;
import io.rbdstack.server.network.GuestNics;
import io.rbdstack.server.offering.DiskOffering;
import io.rbdstack.server.storage.StoragePoolRepository;
import io.rbdstack.server.template.TemplateImport;
import io.rbdstack.server.template.TemplateRepository;
import io.rbdstack.server.volume.VolumeRepository;
import io.rbdstack.server.volume.VolumeService;
import io.rbdstack.spi.storage.TemplateInfo;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * deployVirtualMachine's work. In the request, one transaction saves the VM (Stopped), its NICs, its
 * root volume (and data disk) as Allocated rows holding pool capacity; the job then clones the root
 * volume from the template in its pool (importing the template into that pool first if it has no
 * copy yet) and creates the data disk. A deploy whose volumes cannot be made removes the VM again.
 */
final class VmDeployment {

    private static final Logger LOG = LoggerFactory.getLogger(VmDeployment.class);

    /** What a deploy asks for, checked by the command. */
    record Request(String uuid, String name, String displayName, long zoneId, String zoneName, int cpus,
                   int speedMhz, int memoryMb, long offeringId, TemplateRepository.TemplateRow template,
                   long rootBytes, java.util.Set<String> rootStorageTags, Optional<DiskOffering> dataOffering,
                   long dataBytes, List<GuestNics.NicRequest> nics, boolean haEnabled) {
    }

    /** The rows saved: the VM's id and its volumes (the data disk may be absent). */
    record Allocated(long vmId, VolumeRepository.VolumeRow root, Optional<VolumeRepository.VolumeRow> data) {
    }

    private final Jdbc jdbc;
    private final VmRepository vms;
    private final VmVolumes vmVolumes;
    private final GuestNics nics;
    private final VolumeService volumes;
    private final TemplateRepository templates;
    private final TemplateImport imports;
    private final StoragePoolRepository pools;
    private final VolumeRepository volumeRows;

    VmDeployment(Jdbc jdbc, VmRepository vms, VmVolumes vmVolumes, GuestNics nics, VolumeService volumes,
                 TemplateRepository templates, TemplateImport imports, StoragePoolRepository pools,
                 VolumeRepository volumeRows) {
        this.volumeRows = volumeRows;
        this.jdbc = jdbc;
        this.vms = vms;
        this.vmVolumes = vmVolumes;
        this.nics = nics;
        this.volumes = volumes;
        this.templates = templates;
        this.imports = imports;
        this.pools = pools;
    }

    /** The request part: everything saved together or nothing (a 431/532/533 keeps nothing). */
    Allocated allocate(Caller owner, Request r) {
        try {
            return jdbc.inTransaction(() -> {
                long vmId = vms.insert(new VmRepository.NewVm(r.uuid(), r.name(), r.displayName(), owner.accountId(),
                        owner.domainId(), r.zoneId(), r.cpus(), r.speedMhz(), r.memoryMb(), r.offeringId(),
                        r.template().id(), r.template().osTypeUuid(), true, r.haEnabled()));
                nics.allocate(vmId, r.zoneId(), owner.accountId(), r.nics());
                VolumeRepository.VolumeRow root = volumes.allocate(owner, UUID.randomUUID().toString(),
                        "ROOT-" + vmId, r.zoneId(), r.zoneName(), null, r.rootStorageTags(), r.rootBytes());
                vmVolumes.makeRoot(root.id(), vmId, r.template().id());
                Optional<VolumeRepository.VolumeRow> data = Optional.empty();
                if (r.dataOffering().isPresent()) {
                    VolumeRepository.VolumeRow disk = volumes.allocate(owner, UUID.randomUUID().toString(),
                            "DATA-" + vmId, r.zoneId(), r.zoneName(), r.dataOffering().get(), r.dataBytes());
                    vmVolumes.attach(disk.id(), vmId, DeviceIds.next(List.of(DeviceIds.ROOT)).orElseThrow());
                    data = Optional.of(disk);
                }
                return new Allocated(vmId, root, data);
            });
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw ApiException.internal("The VM was not saved", e);
        }
    }

    /**
     * The job part: the root volume cloned from the template and the data disk created. When either
     * fails, what was made is deleted and the VM removed; the job fails with the reason.
     */
    void createVolumes(Allocated allocated, TemplateRepository.TemplateRow template,
                       AsyncCommand.JobProgress progress) {
        try {
            volumes.createFromTemplate(allocated.root(), templateIn(template, allocated.root(), progress));
            allocated.data().ifPresent(volumes::create);
        } catch (RuntimeException e) {
            abandon(allocated, e);
            throw e;
        }
    }

    /** The template's base image in the volume's pool, imported there first when the pool has none yet. */
    private TemplateInfo templateIn(TemplateRepository.TemplateRow template, VolumeRepository.VolumeRow volume,
                                    AsyncCommand.JobProgress progress) {
        Optional<TemplateRepository.PoolCopy> copy = templates.copies(template.id()).stream()
                .filter(c -> c.poolId() == volume.poolId() && "Ready".equals(c.state())).findFirst();
        if (copy.isPresent()) {
            return new TemplateInfo(copy.get().installPath(), copy.get().snapshot(), copy.get().sizeBytes());
        }
        StoragePoolRepository.PoolRow pool = pools.findById(volume.poolId()).orElseThrow(() ->
                ApiException.unavailable("The storage pool of volume " + volume.name() + " is gone"));
        LOG.info("Importing template {} into pool {} for root volume {}", template.uuid(), pool.name(), volume.uuid());
        return imports.copyTo(template, pool, progress);
    }

    /** Undoes a deploy whose volumes could not be made; each failure is logged and kept on the first. */
    private void abandon(Allocated allocated, RuntimeException failure) {
        try {
            VmRepository.VmRow vm = vms.findById(allocated.vmId()).orElseThrow();
            vms.move(vm, VmState.Expunging, "Failed to create its volumes: " + failure.getMessage());
            for (VmVolumes.VmVolume v : vmVolumes.of(allocated.vmId())) {
                // Made ones are deleted from the storage; rows the storage never saw just end.
                if ("Ready".equals(v.state())) {
                    volumes.delete(volumeRows.find(v.uuid()).orElseThrow());
                } else if ("Allocated".equals(v.state())) {
                    volumeRows.move(v.id(), io.rbdstack.server.volume.VolumeState.Allocated,
                            io.rbdstack.server.volume.VolumeState.Error);
                }
            }
            nics.release(allocated.vmId());
            vms.markRemoved(allocated.vmId());
        } catch (RuntimeException e) {
            LOG.error("Removing VM {} after its failed deploy failed too", allocated.vmId(), e);
            failure.addSuppressed(e);
        }
    }
}
