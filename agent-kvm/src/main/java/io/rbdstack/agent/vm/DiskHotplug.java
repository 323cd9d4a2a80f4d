package io.rbdstack.agent.vm;

import io.rbdstack.agent.libvirt.LibvirtConnection;
import io.rbdstack.agent.libvirt.LibvirtXml;
import java.time.Duration;
import java.util.Objects;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Hot-plugs RBD disks into this host's running domains and out again. An unplug is asynchronous: libvirt
 * asks the guest (ACPI) and returns, so the detach waits until the disk has left the live XML.
 */
public final class DiskHotplug {

    /** virDomainModificationImpact: the running domain only (it is transient). */
    private static final int LIVE = 1;
    private static final Logger LOG = LoggerFactory.getLogger(DiskHotplug.class);

    private final LibvirtConnection libvirt;
    private final OwnDomains own;
    private final Duration poll;

    public DiskHotplug(LibvirtConnection libvirt, OwnDomains own, Duration poll) {
        this.libvirt = Objects.requireNonNull(libvirt, "libvirt");
        this.own = Objects.requireNonNull(own, "own");
        this.poll = Objects.requireNonNull(poll, "poll");
    }

    /** Attaches the disk; one already on its target is left as it is (a retried attach). */
    public void attach(String name, ResolvedDisk disk) throws LibvirtException {
        boolean attached = libvirt.call(connect -> {
            OwnDomains.Own domain = own.require(connect, name);
            if (hasTarget(domain.domain().getXMLDesc(0), disk.target())) {
                return false;
            }
            domain.domain().attachDeviceFlags(DomainXml.disk(disk), LIVE);
            return true;
        });
        if (attached) {
            LOG.info("Attached volume {} to domain {} as {}", disk.disk().volumeUuid(), name, disk.target());
        }
    }

    /**
     * Asks the guest to release the disk and waits up to {@code timeout} until it did; a disk not
     * attached counts as detached.
     */
    public void detach(String name, ResolvedDisk disk, Duration timeout) throws LibvirtException, InterruptedException {
        boolean asked = libvirt.call(connect -> {
            OwnDomains.Own domain = own.require(connect, name);
            if (!hasTarget(domain.domain().getXMLDesc(0), disk.target())) {
                return false;
            }
            domain.domain().detachDeviceFlags(DomainXml.disk(disk), LIVE);
            return true;
        });
        if (!asked) {
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (hasTarget(libvirt.call(connect -> own.require(connect, name).domain().getXMLDesc(0)), disk.target())) {
            if (System.nanoTime() > deadline) {
                throw new VmException("the guest did not release the disk " + disk.target() + " (volume "
                        + disk.disk().volumeUuid() + ") within " + timeout.toMillis() + " ms");
            }
            Thread.sleep(poll.toMillis());
        }
        LOG.info("Detached volume {} ({}) from domain {}", disk.disk().volumeUuid(), disk.target(), name);
    }

    /** Whether the domain XML has a disk on that target device. */
    static boolean hasTarget(String domainXml, String target) {
        Element devices = LibvirtXml.child(LibvirtXml.parse(domainXml), "devices");
        NodeList disks = devices == null ? null : devices.getElementsByTagName("disk");
        for (int i = 0; disks != null && i < disks.getLength(); i++) {
            Element targetElement = LibvirtXml.child((Element) disks.item(i), "target");
            if (target.equals(LibvirtXml.attribute(targetElement, "dev"))) {
                return true;
            }
        }
        return false;
    }
}
