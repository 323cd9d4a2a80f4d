package io.rbdstack.agent.vm;

import io.rbdstack.agent.libvirt.LibvirtXml;
import java.util.Optional;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Whose a domain is: the {@code <metadata>} element rbdstack puts in every domain it starts, naming
 * the host (the agent's host uuid) and the VM. Several agents may share one libvirtd; each acts only
 * on domains tagged with its own host uuid.
 */
public record DomainOwner(String hostUuid, String vmUuid) {

    public static final String NAMESPACE = "https://rbdstack.io/xmlns/libvirt/vm/1";
    private static final String ELEMENT = "rbdstack:vm";

    /** The element to put inside {@code <metadata>}. */
    public String toXml() {
        return "<" + ELEMENT + " xmlns:rbdstack='" + NAMESPACE + "' host='" + LibvirtXml.escape(hostUuid)
                + "' vm='" + LibvirtXml.escape(vmUuid) + "'/>";
    }

    /** The owner a domain's XML names; empty for a domain rbdstack did not start. */
    public static Optional<DomainOwner> of(String domainXml) {
        Element metadata = LibvirtXml.child(LibvirtXml.parse(domainXml), "metadata");
        if (metadata == null) {
            return Optional.empty();
        }
        // libvirt gives the element back with the prefix it was given; the parser is not namespace-aware.
        NodeList tags = metadata.getElementsByTagName(ELEMENT);
        for (int i = 0; i < tags.getLength(); i++) {
            Element tag = (Element) tags.item(i);
            if (NAMESPACE.equals(tag.getAttribute("xmlns:rbdstack"))) {
                return Optional.of(new DomainOwner(tag.getAttribute("host"), tag.getAttribute("vm")));
            }
        }
        return Optional.empty();
    }
}
