package io.rbdstack.server.vm;

import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.db.Jdbc;
import io.rbdstack.server.network.GuestNic;
import io.rbdstack.server.network.GuestNics;
import io.rbdstack.server.settings.Setting;
import io.rbdstack.server.settings.SettingsRepository;
import io.rbdstack.server.volume.PoolThresholds;
import io.rbdstack.spi.agent.vm.StartVmCommand;
import io.rbdstack.spi.agent.vm.StopVmCommand;
import io.rbdstack.spi.agent.vm.VmStateAnswer;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and stops VMs: a start reserves a host (chosen under the host rows' locks, recorded in the
 * same transaction) and asks its agent to create the domain; Running on success, Stopped again with
 * the agent's reason otherwise. A stop asks the agent to power the domain off (gracefully, then
 * forced after vm.stop.timeout.seconds; at once when forced).
 */
final class VmPower {

    private static final Logger LOG = LoggerFactory.getLogger(VmPower.class);
    /** How long the agent may take to define and start a domain. */
    static final Duration START_TIMEOUT = Duration.ofMinutes(5);
    /** Beyond the guest's grace time, how long the agent may take to destroy a domain. */
    private static final Duration STOP_SLACK = Duration.ofSeconds(60);

    private final Jdbc jdbc;
    private final VmRepository vms;
    private final VmVolumes volumes;
    private final VmHosts hosts;
    private final GuestNics nics;
    private final VmAgent agent;
    private final SettingsRepository settings;

    VmPower(Jdbc jdbc, VmRepository vms, VmVolumes volumes, VmHosts hosts, GuestNics nics, VmAgent agent,
            SettingsRepository settings) {
        this.jdbc = jdbc;
        this.vms = vms;
        this.volumes = volumes;
        this.hosts = hosts;
        this.nics = nics;
        this.agent = agent;
        this.settings = settings;
    }

    /** The request part of a start: what CloudStack refuses before any job, with its texts. */
    static void checkStartable(VmRepository.VmRow vm) {
        if (vm.state() == VmState.Running) {
            throw ApiException.invalidParameter("The virtual machine " + vm.uuid() + " (" + vm.label()
                    + ") is already running");
        }
        if (vm.state() != VmState.Stopped) {
            throw ApiException.invalidParameter("The virtual machine " + vm.uuid() + " (" + vm.label() + ") is "
                    + vm.state() + "; only a Stopped VM can be started");
        }
    }

    /**
     * Starts the VM: on {@code hostId} when given (root admin), else on its last host when
     * {@code considerLastHost} and that host still fits, else on the host the chooser ranks first.
     *
     * @return the VM as it is afterwards (Running)
     * @throws ApiException 533 naming each host and why when none can run it; the agent's reason when
     *                      the start failed (the VM is Stopped again, its reason recorded)
     */
    VmRepository.VmRow start(VmRepository.VmRow vm, Optional<Long> hostId, boolean considerLastHost) {
        checkStartable(vm);
        List<VmVolumes.VmVolume> disks = volumes.of(vm.id());
        VmVolumes.VmVolume root = disks.stream().filter(d -> d.deviceId() == DeviceIds.ROOT).findFirst()
                .orElseThrow(() -> ApiException.invalidParameter("VM " + vm.label() + " has no root volume"));
        for (VmVolumes.VmVolume disk : disks) {
            if (!"Ready".equals(disk.state())) {
                throw ApiException.invalidParameter("Volume " + disk.name() + " of VM " + vm.label() + " is "
                        + disk.state() + "; the VM starts once all its volumes are Ready");
            }
        }
        HostChooser.Candidate host = reserve(vm, root.poolId(), hostId, considerLastHost);
        // Its host serves its dual-stack networks' DHCPv6 from now, so the guest's first request finds its reservation.
        nics.placementChanged(vm.id());
        List<GuestNic> guestNics = nics.nicsOf(Set.of(vm.id())).getOrDefault(vm.id(), List.of());
        StartVmCommand command = new StartVmCommand(vm.uuid(), vm.instanceName(), vm.cpus(), vm.speedMhz(),
                vm.memoryMb(), disks.stream().map(VmVolumes.VmVolume::disk).toList(),
                guestNics.stream().map(VmNics::vmNic).toList());
        try {
            VmStateAnswer answer = agent.send(host.uuid(), host.name(), command, START_TIMEOUT, VmStateAnswer.class);
            vms.started(vm.id());
            LOG.info("Started VM {} ({}) on host {} (domain type {})", vm.name(), vm.uuid(), host.name(),
                    answer.domainType());
        } catch (ApiException e) {
            VmRepository.VmRow starting = vms.findById(vm.id()).orElseThrow();
            if (!vms.stopped(vm.id(), VmState.Starting, starting.updateCount(), "Start on host " + host.name()
                    + " failed: " + e.getMessage())) {
                LOG.error("VM {} left Starting while host {} was starting it", vm.uuid(), host.name());
            }
            nics.placementChanged(vm.id());
            throw new ApiException(e.errorCode(), e.csErrorCode(), "Unable to start VM " + vm.label() + " ("
                    + vm.uuid() + ") on host " + host.name() + ": " + e.getMessage(), e);
        }
        return vms.findById(vm.id()).orElseThrow();
    }

    /** Chooses the host and records the VM Starting on it, under the zone's host locks. */
    private HostChooser.Candidate reserve(VmRepository.VmRow vm, Long rootPoolId, Optional<Long> hostId,
                                          boolean considerLastHost) {
        HostChooser.Need need = new HostChooser.Need(vm.label(), ((long) vm.memoryMb()) << 20,
                (long) vm.cpus() * vm.speedMhz());
        BigDecimal mem = PoolThresholds.decimal(settings, Setting.MEM_OVERPROVISIONING_FACTOR);
        BigDecimal cpu = PoolThresholds.decimal(settings, Setting.CPU_OVERPROVISIONING_FACTOR);
        HostChooser.Candidate[] chosen = new HostChooser.Candidate[1];
        jdbc.transaction(() -> {
            VmHosts.Survey survey = hosts.lockAndSurvey(vm.zoneId(), rootPoolId, hostId.orElse(null),
                    hosts.offeringHostTags(vm.offeringId()), agent::stopping);
            Optional<HostChooser.Candidate> last = hostId.isEmpty() && considerLastHost && vm.lastHostId() != null
                    ? survey.candidates().stream().filter(c -> c.id() == vm.lastHostId()).findFirst()
                    : Optional.empty();
            chosen[0] = last.filter(c -> HostChooser.freeMemory(c, mem) >= need.memoryBytes()
                            && HostChooser.freeCpu(c, cpu) >= need.cpuMhz())
                    .orElseGet(() -> HostChooser.choose(need, survey.candidates(), survey.unusable(), mem, cpu));
            if (!vms.reserveHost(vm, chosen[0].id())) {
                throw ApiException.invalidParameter("VM " + vm.label() + " (" + vm.uuid() + ") changed state"
                        + " meanwhile; try again");
            }
        });
        return chosen[0];
    }

    /**
     * Stops the VM; a VM that is already Stopped, Destroyed, Expunging or Error is left as it is (a
     * no-op success, as CloudStack's). The domain is powered off by the agent of its host.
     */
    VmRepository.VmRow stop(VmRepository.VmRow vm, boolean forced) {
        if (vm.state() == VmState.Stopped || vm.state() == VmState.Destroyed || vm.state() == VmState.Expunging
                || vm.state() == VmState.Error) {
            return vm;
        }
        if (vm.state() != VmState.Running) {
            throw ApiException.invalidParameter("VM " + vm.label() + " (" + vm.uuid() + ") is " + vm.state()
                    + "; try again once it is Running or Stopped");
        }
        if (!vms.move(vm, VmState.Stopping, null)) {
            throw ApiException.invalidParameter("VM " + vm.label() + " (" + vm.uuid() + ") changed state meanwhile;"
                    + " try again");
        }
        int grace = (int) settings.longValue(Setting.VM_STOP_TIMEOUT_SECONDS);
        String hostName = vm.hostName() == null ? vm.hostUuid() : vm.hostName();
        try {
            VmStateAnswer answer = agent.send(vm.hostUuid(), hostName, new StopVmCommand(vm.uuid(), vm.instanceName(),
                    forced ? 0 : grace, forced), Duration.ofSeconds(forced ? 0 : grace).plus(STOP_SLACK),
                    VmStateAnswer.class);
            VmRepository.VmRow stopping = vms.findById(vm.id()).orElseThrow();
            vms.stopped(vm.id(), VmState.Stopping, stopping.updateCount(), answer.forced() && !forced
                    ? "The guest did not power off within " + grace + " s; it was forced off" : null);
            LOG.info("Stopped VM {} ({}) on host {}{}", vm.name(), vm.uuid(), hostName,
                    answer.forced() ? " (forced)" : "");
            nics.placementChanged(vm.id());
        } catch (ApiException e) {
            VmRepository.VmRow stopping = vms.findById(vm.id()).orElseThrow();
            if (forced && e.errorCode() == io.rbdstack.server.api.ApiErrorCode.RESOURCE_UNAVAILABLE_ERROR) {
                // CloudStack's forced stop: the VM is marked Stopped even when its host cannot be reached.
                LOG.warn("VM {} ({}) marked Stopped by a forced stop; its host {} could not be asked: {}", vm.name(),
                        vm.uuid(), hostName, e.getMessage());
                vms.stopped(vm.id(), VmState.Stopping, stopping.updateCount(), "Forced stop while host " + hostName
                        + " could not be reached: " + e.getMessage());
                nics.placementChanged(vm.id());
                return vms.findById(vm.id()).orElseThrow();
            }
            vms.move(stopping, VmState.Running, "Stop failed: " + e.getMessage());
            throw new ApiException(e.errorCode(), e.csErrorCode(), "Unable to stop VM " + vm.label() + " ("
                    + vm.uuid() + "): " + e.getMessage(), e);
        }
        return vms.findById(vm.id()).orElseThrow();
    }

    /** A cold reboot, as on KVM: stop, then start on the same host. */
    VmRepository.VmRow reboot(VmRepository.VmRow vm, boolean forced) {
        if (vm.state() != VmState.Running) {
            throw ApiException.invalidParameter("Unable to reboot VM " + vm.label() + " (" + vm.uuid() + "): it is "
                    + vm.state() + ", not Running");
        }
        long host = vm.hostId();
        VmRepository.VmRow stopped = stop(vm, forced);
        return start(stopped, Optional.of(host), false);
    }
}
