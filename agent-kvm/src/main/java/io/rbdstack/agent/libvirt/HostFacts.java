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

    /**
     * The system property that sets the domain type ({@code kvm} or {@code qemu}) whatever libvirt offers: for a host
     * whose KVM cannot run the guests, as nested KVM on some virtual machines (seen on the development machine: "KVM
     * internal error. Suberror: 1" in a guest's boot loader, the domain left paused).
     */
    public static final String DOMAIN_TYPE_PROPERTY = "rbdstack.vm.domain.type";

    /**
     * {@code kvm} when libvirt's capabilities offer KVM domains, else {@code qemu} (emulation, TCG); {@value
     * #DOMAIN_TYPE_PROPERTY} overrides it.
     */
    public String virtType() throws LibvirtException {
        String chosen = domainTypeOverride(System.getProperty(DOMAIN_TYPE_PROPERTY));
        return chosen != null ? chosen : virtTypeOf(libvirt.call(connect -> connect.getCapabilities()));
    }

    /** The domain type {@code value} of {@value #DOMAIN_TYPE_PROPERTY} sets; null when unset or blank. */
    static String domainTypeOverride(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String type = value.strip();
        if (!type.equals("kvm") && !type.equals("qemu")) {
            throw new IllegalArgumentException(DOMAIN_TYPE_PROPERTY + " must be kvm or qemu, not '" + type + "'");
        }
        return type;
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
