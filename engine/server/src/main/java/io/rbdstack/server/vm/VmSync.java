package io.rbdstack.server.vm;

import io.rbdstack.server.alert.AlertType;
import io.rbdstack.server.alert.Alerts;
import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.event.ActionEvents;
import io.rbdstack.server.network.GuestNics;
import io.rbdstack.server.event.EventLevel;
import io.rbdstack.server.event.EventResource;
import io.rbdstack.spi.agent.vm.VmPowerState;
import io.rbdstack.spi.agent.vm.VmStatesAnswer;
import io.rbdstack.spi.agent.vm.VmStatesCommand;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps VM states true to what the hosts report (CloudStack's power-state sync). Each management server
 * asks the Up hosts whose agents are connected to it for their domains each vm.sync.interval, and a
 * host when its agent (re)connects; the server holding the lease marks the VMs of hosts that are not
 * Up. A VM the database has Running
 * whose host reports it off or absent, with no job of its own in progress, becomes Stopped (host
 * cleared, last host kept) with a VM.STOP event and an ALERT.TYPE.SYNC alert. VMs on hosts that are
 * not Up get power state PowerReportMissing, without a state change (there is no HA).
 */
public final class VmSync implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VmSync.class);
    static final Duration REPORT_TIMEOUT = Duration.ofSeconds(30);
    static final String OUT_OF_BAND = "stopped out of band (state sync)";

    private final VmRepository vms;
    private final VmHosts hosts;
    private final VmAgent agent;
    private final ActionEvents events;
    private final Alerts alerts;
    private final Function<Long, Optional<Caller>> ownerOf;
    /** Syncs asked for by agent connections, off the connection's thread. */
    private final ExecutorService onConnect = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "vm-sync-on-connect");
        t.setDaemon(true);
        return t;
    });

    /** This server's periodic poll of its own hosts. */
    private final java.util.concurrent.ScheduledExecutorService poller =
            Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "vm-sync");
                t.setDaemon(true);
                return t;
            });

    private final GuestNics nics;

    VmSync(VmRepository vms, VmHosts hosts, VmAgent agent, GuestNics nics, ActionEvents events, Alerts alerts,
           Function<Long, Optional<Caller>> ownerOf) {
        this.vms = vms;
        this.nics = nics;
        this.hosts = hosts;
        this.agent = agent;
        this.events = events;
        this.alerts = alerts;
        this.ownerOf = ownerOf;
    }

    /**
     * Starts this server's poll of its connected hosts, every {@code period} (read again before each
     * round, so a change of vm.sync.interval applies at once). A failed round is logged; the next comes.
     */
    public void start(java.util.function.Supplier<Duration> period) {
        poller.schedule(() -> pollThenReschedule(period), period.get().toMillis(),
                java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private void pollThenReschedule(java.util.function.Supplier<Duration> period) {
        try {
            syncConnectedHosts();
        } catch (RuntimeException e) {
            LOG.error("VM state sync failed; trying again next round", e);
        } finally {
            if (!poller.isShutdown()) {
                poller.schedule(() -> pollThenReschedule(period), period.get().toMillis(),
                        java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Every vm.sync.interval on each server: the Up hosts connected to this one (a stopping agent would refuse). */
    public void syncConnectedHosts() {
        for (VmHosts.HostRef host : hosts.up()) {
            if (agent.takesCommandsHere(host.uuid())) {
                sync(host);
            }
        }
    }

    /** Every vm.sync.interval on the server holding the lease: the VMs of hosts that are not Up. */
    public void markVmsOfDownHosts() {
        int missing = vms.reportMissingOnDownHosts();
        if (missing > 0) {
            LOG.info("{} VM(s) on hosts that are not Up: power state PowerReportMissing", missing);
        }
    }

    /** An agent connected: its host is synced soon, on a thread of this class. */
    public void hostConnected(String hostUuid) {
        onConnect.execute(() -> hosts.find(hostUuid).ifPresent(this::sync));
    }

    /** Asks the host for its domains and settles its VMs; a host that does not answer is left for the next round. */
    void sync(VmHosts.HostRef host) {
        VmStatesAnswer report;
        try {
            report = agent.send(host.uuid(), host.name(), new VmStatesCommand(), REPORT_TIMEOUT, VmStatesAnswer.class);
        } catch (ApiException e) {
            LOG.debug("No VM report from host {}: {}", host.name(), e.getMessage());
            return;
        }
        Map<String, VmPowerState> reported = report.vms() == null ? Map.of() : report.vms().stream()
                .collect(Collectors.toMap(VmStatesAnswer.VmReport::vmUuid, VmStatesAnswer.VmReport::state,
                        (a, b) -> a == VmPowerState.POWER_ON ? a : b));
        java.util.Set<String> placed = new java.util.HashSet<>();
        for (VmRepository.VmRow vm : vms.placedOn(host.id())) {
            placed.add(vm.uuid());
            VmPowerState state = reported.getOrDefault(vm.uuid(), VmPowerState.POWER_OFF);
            if (state == VmPowerState.POWER_ON) {
                vms.powerState(vm.id(), "PowerOn");
            }
            if (vm.state() == VmState.Running && state == VmPowerState.POWER_OFF && !vms.jobRunning(vm.uuid())
                    && vms.stopped(vm.id(), VmState.Running, vm.updateCount(), OUT_OF_BAND)) {
                stoppedOutOfBand(host, vm);
            } else if ((vm.state() == VmState.Starting || vm.state() == VmState.Stopping)
                    && !vms.jobRunning(vm.uuid())) {
                settleAbandoned(vm, state);
            }
        }
        reported.forEach((uuid, state) -> {
            if (state == VmPowerState.POWER_ON && !placed.contains(uuid)) {
                strayDomain(host, uuid);
            }
        });
    }

    /**
     * A domain runs that the database does not place on this host (a VM recorded Stopped, say): an alert,
     * and the domain is left alone, since killing a guest on a guess would lose its data.
     */
    private void strayDomain(VmHosts.HostRef host, String vmUuid) {
        vms.find(vmUuid).filter(vm -> !vm.state().holdsHost()).ifPresent(vm -> alerts.strayDomain(vm.uuid(), true,
                "VM " + host.name() + "(" + vm.name() + ") runs on the host while it is " + vm.state()
                        + " in the database; it is left running"));
    }

    /**
     * A VM left Starting or Stopping by a job that ended without recording the answer (its server
     * stopped): what the host reports settles it, Running if the domain runs, Stopped if not.
     */
    private void settleAbandoned(VmRepository.VmRow vm, VmPowerState state) {
        boolean settled;
        if (state == VmPowerState.POWER_ON && vm.state() == VmState.Starting) {
            vms.started(vm.id());
            settled = true;
        } else {
            settled = state == VmPowerState.POWER_ON
                ? vms.move(vm, VmState.Running, "Settled by state sync: its " + vm.state() + " job ended unanswered")
                : vms.stopped(vm.id(), vm.state(), vm.updateCount(), "Settled by state sync: its " + vm.state()
                        + " job ended unanswered");
        }
        if (settled) {
            nics.placementChanged(vm.id());
            LOG.warn("VM {} ({}) was left {} by a job that ended; the host reports it {}", vm.name(), vm.uuid(),
                    vm.state(), state);
        }
    }

    private void stoppedOutOfBand(VmHosts.HostRef host, VmRepository.VmRow vm) {
        nics.placementChanged(vm.id());
        LOG.warn("VM {} ({}) is no longer running on host {}: Stopped", vm.name(), vm.uuid(), host.name());
        alerts.failed(AlertType.SYNC, vm.uuid(), "VM " + host.name() + "(" + vm.name() + ") state is sync-ed"
                + " (Running -> Stopped) from out-of-context transition.");
        Optional<Caller> owner = ownerOf.apply(vm.accountId());
        if (owner.isPresent()) {
            events.happened(owner.get(), "VM.STOP", EventLevel.INFO, "VM " + vm.name() + " " + OUT_OF_BAND
                    + " on host " + host.name(), new EventResource("VirtualMachine", vm.uuid()));
        } else {
            LOG.warn("No VM.STOP event for VM {}: its account {} has no active user", vm.uuid(), vm.accountId());
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
        onConnect.shutdownNow();
    }
}
