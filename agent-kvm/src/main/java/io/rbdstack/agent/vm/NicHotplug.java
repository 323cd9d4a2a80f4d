package io.rbdstack.agent.vm;

import io.rbdstack.agent.libvirt.LibvirtConnection;
import io.rbdstack.agent.libvirt.LibvirtXml;
import io.rbdstack.spi.agent.vm.VmNic;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Hot-plugs NICs into this host's running domains and out again, found by their MAC. An unplug is
 * asynchronous: libvirt asks the guest (ACPI) and returns, so it waits until the interface has left the
 * live XML.
 */
public final class NicHotplug {

    /** virDomainModificationImpact: the running domain only (it is transient). */
    private static final int LIVE = 1;
    private static final Logger LOG = LoggerFactory.getLogger(NicHotplug.class);

    private final LibvirtConnection libvirt;
    private final OwnDomains own;
    private final Duration poll;

    public NicHotplug(LibvirtConnection libvirt, OwnDomains own, Duration poll) {
        this.libvirt = Objects.requireNonNull(libvirt, "libvirt");
        this.own = Objects.requireNonNull(own, "own");
        this.poll = Objects.requireNonNull(poll, "poll");
    }

    /** Attaches the NIC (its bridge must exist); one with that MAC already in the domain is left (a retried plug). */
    public void plug(String name, VmNic nic) throws LibvirtException {
        boolean plugged = libvirt.call(connect -> {
            OwnDomains.Own domain = own.require(connect, name);
            if (hasMac(domain.domain().getXMLDesc(0), nic.mac())) {
                return false;
            }
            domain.domain().attachDeviceFlags(DomainXml.nic(nic), LIVE);
            return true;
        });
        if (plugged) {
            LOG.info("Plugged NIC {} into domain {} on bridge {}", nic.mac(), name, nic.bridge());
        }
    }

    /** Asks the guest to release the NIC and waits up to {@code timeout} until it did; a NIC not there counts as gone. */
    public void unplug(String name, VmNic nic, Duration timeout) throws LibvirtException, InterruptedException {
        boolean asked = libvirt.call(connect -> {
            OwnDomains.Own domain = own.require(connect, name);
            if (!hasMac(domain.domain().getXMLDesc(0), nic.mac())) {
                return false;
            }
            domain.domain().detachDeviceFlags(DomainXml.nic(nic), LIVE);
            return true;
        });
        if (!asked) {
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (hasMac(libvirt.call(connect -> own.require(connect, name).domain().getXMLDesc(0)), nic.mac())) {
            if (System.nanoTime() > deadline) {
                throw new VmException("the guest did not release the NIC " + nic.mac() + " within "
                        + timeout.toMillis() + " ms");
            }
            Thread.sleep(poll.toMillis());
        }
        LOG.info("Unplugged NIC {} from domain {}", nic.mac(), name);
    }

    /** Whether the domain XML has an interface with that MAC (compared without case). */
    static boolean hasMac(String domainXml, String mac) {
        Element devices = LibvirtXml.child(LibvirtXml.parse(domainXml), "devices");
        NodeList interfaces = devices == null ? null : devices.getElementsByTagName("interface");
        String wanted = mac.toLowerCase(Locale.ROOT);
        for (int i = 0; interfaces != null && i < interfaces.getLength(); i++) {
            Element macElement = LibvirtXml.child((Element) interfaces.item(i), "mac");
            String address = LibvirtXml.attribute(macElement, "address");
            if (address != null && wanted.equals(address.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }
}
