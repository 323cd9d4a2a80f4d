package io.rbdstack.agent.libvirt;

import io.rbdstack.spi.agent.HostInfo;
import java.util.Objects;
import org.libvirt.LibvirtException;
import org.libvirt.NodeInfo;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * What the agent tells the management server about its host, all from libvirt: CPUs and their
 * speed and memory ({@code virNodeGetInfo}), libvirt's version, QEMU's version (the hypervisor
 * version of the qemu driver, {@code virConnectGetVersion}) and whether the RBD storage backend is
 * there ({@link LibvirtPoolCapabilities}), and the domain type VMs run under ({@link #virtType()}).
 */
public final class HostFacts {

    private final LibvirtConnection libvirt;

    public HostFacts(LibvirtConnection libvirt) {
        this.libvirt = Objects.requireNonNull(libvirt, "libvirt");
    }

    /** The host's name as libvirt reports it ({@code virConnectGetHostname}). */
    public String hostname() throws LibvirtException {
        return libvirt.call(connect -> connect.getHostName());
    }

    public HostInfo collect() throws LibvirtException {
        NodeInfo node = libvirt.call(connect -> connect.nodeInfo());
        String libvirtVersion = version(libvirt.call(connect -> connect.getLibVersion()));
        String qemuVersion = version(libvirt.call(connect -> connect.getVersion()));
        return new HostInfo(node.cpus, node.mhz, node.memory * 1024L, libvirtVersion, qemuVersion,
                rbdStorageBackend(), virtType());
    }

    /** {@code kvm} when libvirt's capabilities offer KVM domains, else {@code qemu} (emulation, TCG). */
    public String virtType() throws LibvirtException {
        return virtTypeOf(libvirt.call(connect -> connect.getCapabilities()));
    }

    /** The domain type to use by a capabilities document: any guest offering {@code <domain type='kvm'>} means kvm. */
    static String virtTypeOf(String capabilitiesXml) {
        NodeList domains = LibvirtXml.parse(capabilitiesXml).getElementsByTagName("domain");
        for (int i = 0; i < domains.getLength(); i++) {
            if ("kvm".equals(((Element) domains.item(i)).getAttribute("type"))) {
                return "kvm";
            }
        }
        return "qemu";
    }

    /** Whether libvirtd can run {@code rbd} storage pools. */
    public boolean rbdStorageBackend() {
        return LibvirtPoolCapabilities.supports(LibvirtPoolCapabilities.fetch(libvirt.uri()), "rbd");
    }

    /** libvirt encodes versions as major * 1,000,000 + minor * 1,000 + micro. */
    static String version(long encoded) {
        return (encoded / 1_000_000) + "." + (encoded / 1_000 % 1_000) + "." + (encoded % 1_000);
    }
}
