package io.rbdstack.agent.libvirt;

import io.rbdstack.spi.agent.HostInfo;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
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

    /** The domain types the agent can run VMs under: KVM, or QEMU's emulation (TCG). */
    public static final Set<String> DOMAIN_TYPES = Set.of("kvm", "qemu");

    private final LibvirtConnection libvirt;
    /** agent.properties' {@code vm.domain.type}, when set. */
    private final Optional<String> configuredDomainType;

    /** Facts of the host behind {@code libvirt}; the domain type as libvirt offers it, or {@value #DOMAIN_TYPE_PROPERTY}. */
    public HostFacts(LibvirtConnection libvirt) {
        this(libvirt, Optional.empty());
    }

    /** As {@link #HostFacts(LibvirtConnection)}, VMs run under {@code domainType} when given (one of {@link #DOMAIN_TYPES}). */
    public HostFacts(LibvirtConnection libvirt, Optional<String> domainType) {
        this.libvirt = Objects.requireNonNull(libvirt, "libvirt");
        this.configuredDomainType = Objects.requireNonNull(domainType, "domainType");
        domainType.ifPresent(type -> {
            if (!DOMAIN_TYPES.contains(type)) {
                throw new IllegalArgumentException("domain type must be kvm or qemu, not '" + type + "'");
            }
        });
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
     * The system property that sets the domain type ({@code kvm} or {@code qemu}) whatever libvirt offers, unless
     * agent.properties' {@code vm.domain.type} does: the integration tests set it for the agents they run in their own
     * JVM (failsafe's {@code systemPropertyVariables}), since nested KVM on the development machine failed in a guest's
     * boot loader ("KVM internal error. Suberror: 1", the domain left paused).
     */
    public static final String DOMAIN_TYPE_PROPERTY = "rbdstack.vm.domain.type";

    /**
     * The domain type VMs run under: agent.properties' {@code vm.domain.type}, else {@value #DOMAIN_TYPE_PROPERTY},
     * else {@code kvm} when libvirt's capabilities offer KVM domains and {@code qemu} (emulation, TCG) when not.
     */
    public String virtType() throws LibvirtException {
        String chosen = configuredDomainType.orElseGet(() -> domainTypeOverride(System.getProperty(DOMAIN_TYPE_PROPERTY)));
        return chosen != null ? chosen : virtTypeOf(libvirt.call(connect -> connect.getCapabilities()));
    }

    /** The domain type {@code value} of {@value #DOMAIN_TYPE_PROPERTY} sets; null when unset or blank. */
    static String domainTypeOverride(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String type = value.strip();
        if (!DOMAIN_TYPES.contains(type)) {
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
