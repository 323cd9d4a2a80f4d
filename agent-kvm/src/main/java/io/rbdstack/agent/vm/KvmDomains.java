package io.rbdstack.agent.vm;

import io.rbdstack.agent.libvirt.LibvirtConnection;
import io.rbdstack.agent.libvirt.LibvirtErrors;
import io.rbdstack.spi.agent.vm.VmPowerState;
import io.rbdstack.spi.agent.vm.VmStatesAnswer.VmReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.libvirt.Domain;
import org.libvirt.DomainInfo.DomainState;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This host's VMs as transient libvirt domains (what CloudStack's KVM agent does): a start creates
 * the domain from its XML, a stop makes it go away, so a stopped VM leaves nothing in libvirt.
 */
public final class KvmDomains {

    /** How a stop ended: whether the domain had to be destroyed. */
    public record Stopped(boolean forced) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(KvmDomains.class);
    /**
     * How often a graceful stop presses the power button again: a guest that is still booting drops
     * the press (no ACPI button driver or acpid yet), and without another one it would only be forced
     * off at the end of its grace. OpenStack Nova re-sends its shutdown the same way.
     */
    static final Duration POWER_BUTTON_REPEAT = Duration.ofSeconds(10);

    private final LibvirtConnection libvirt;
    private final OwnDomains own;
    private final Duration poll;

    public KvmDomains(LibvirtConnection libvirt, OwnDomains own, Duration poll) {
        this.libvirt = Objects.requireNonNull(libvirt, "libvirt");
        this.own = Objects.requireNonNull(own, "own");
        this.poll = Objects.requireNonNull(poll, "poll");
    }

    /**
     * Creates and starts the domain; a domain of that name of this host already running the same VM
     * is left running (a retried start).
     *
     * @return whether this call started it
     */
    public boolean start(String name, String vmUuid, String xml) throws LibvirtException {
        Optional<OwnDomains.Own> existing = libvirt.call(connect -> own.find(connect, name));
        if (existing.isPresent() && !existing.get().owner().vmUuid().equals(vmUuid)) {
            throw new VmException("the domain " + name + " on this host runs another VM (" + existing.get().owner().vmUuid()
                    + ")");
        }
        if (isActive(name)) {
            LOG.info("Domain {} already runs; left as it is", name);
            return false;
        }
        long begin = System.nanoTime();
        try {
            libvirt.call(connect -> connect.domainCreateXML(xml, 0));
        } catch (LibvirtException e) {
            if (isActive(name)) { // a concurrent start won the race
                return false;
            }
            throw e;
        }
        LOG.info("Started domain {} ({} ms)", name, (System.nanoTime() - begin) / 1_000_000);
        return true;
    }

    /**
     * An ACPI power-off, then destroy after {@code grace} (at once for a zero grace). A domain that is
     * not there counts as stopped.
     */
    public Stopped stop(String name, Duration grace) throws LibvirtException, InterruptedException {
        if (!grace.isZero()) {
            if (!ifThere(name, Domain::shutdown)) {
                return new Stopped(false);
            }
            long begin = System.nanoTime();
            long deadline = begin + grace.toNanos();
            long nextPress = begin + POWER_BUTTON_REPEAT.toNanos();
            while (System.nanoTime() < deadline) {
                if (!isActive(name)) {
                    LOG.info("Domain {} powered off", name);
                    return new Stopped(false);
                }
                if (System.nanoTime() >= nextPress) {
                    LOG.info("Domain {} still runs {} s after its power button was pressed; pressed again", name,
                            (System.nanoTime() - begin) / 1_000_000_000L);
                    if (!ifThere(name, Domain::shutdown)) {
                        LOG.info("Domain {} powered off", name);
                        return new Stopped(false);
                    }
                    nextPress = System.nanoTime() + POWER_BUTTON_REPEAT.toNanos();
                }
                Thread.sleep(poll.toMillis());
            }
        }
        boolean destroyed = ifThere(name, Domain::destroy);
        if (destroyed) {
            LOG.info("Domain {} destroyed{}", name, grace.isZero() ? "" : " after " + grace.toSeconds() + " s of grace");
        }
        if (isActive(name)) {
            throw new VmException("the domain " + name + " still runs after destroy");
        }
        return new Stopped(destroyed);
    }

    /** Every domain of this host with its power state. */
    public List<VmReport> states() throws LibvirtException {
        return libvirt.call(connect -> {
            List<VmReport> reports = new ArrayList<>();
            for (OwnDomains.Own domain : own.list(connect)) {
                try {
                    reports.add(new VmReport(domain.owner().vmUuid(), domain.name(),
                            powerState(domain.domain().getInfo().state)));
                } catch (LibvirtException e) {
                    if (!LibvirtErrors.isNoDomain(e)) {
                        throw e;
                    } // gone since the listing: not there
                }
            }
            return reports;
        });
    }

    /** The running domain's XML as libvirt has it now. */
    public String liveXml(String name) throws LibvirtException {
        return libvirt.call(connect -> own.require(connect, name).domain().getXMLDesc(0));
    }

    static VmPowerState powerState(DomainState state) {
        return switch (state) {
            case VIR_DOMAIN_RUNNING, VIR_DOMAIN_BLOCKED, VIR_DOMAIN_PAUSED, VIR_DOMAIN_SHUTDOWN,
                 VIR_DOMAIN_PMSUSPENDED -> VmPowerState.POWER_ON;
            case VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_CRASHED, VIR_DOMAIN_NOSTATE -> VmPowerState.POWER_OFF;
        };
    }

    private boolean isActive(String name) throws LibvirtException {
        return libvirt.call(connect -> {
            Optional<OwnDomains.Own> domain = own.find(connect, name);
            if (domain.isEmpty()) {
                return false;
            }
            try {
                return domain.get().domain().isActive() == 1;
            } catch (LibvirtException e) {
                if (LibvirtErrors.isNoDomain(e)) {
                    return false;
                }
                throw e;
            }
        });
    }

    @FunctionalInterface
    private interface DomainCall {
        void run(Domain domain) throws LibvirtException;
    }

    /**
     * Runs the call on this host's domain of that name; a domain that went away (or stopped running)
     * meanwhile is what a stop wants, so that is no failure.
     *
     * @return false when there was no such domain
     */
    private boolean ifThere(String name, DomainCall call) throws LibvirtException {
        return libvirt.call(connect -> {
            Optional<OwnDomains.Own> domain = own.find(connect, name);
            if (domain.isEmpty()) {
                return false;
            }
            try {
                call.run(domain.get().domain());
            } catch (LibvirtException e) {
                ErrorNumber code = LibvirtErrors.code(e);
                if (code != ErrorNumber.VIR_ERR_NO_DOMAIN && code != ErrorNumber.VIR_ERR_OPERATION_INVALID) {
                    throw e;
                }
            }
            return true;
        });
    }
}
