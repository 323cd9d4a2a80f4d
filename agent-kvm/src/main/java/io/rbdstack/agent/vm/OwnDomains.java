package io.rbdstack.agent.vm;

import io.rbdstack.agent.libvirt.LibvirtErrors;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;

/**
 * The domains of this host among those of its libvirtd: the ones whose metadata names this agent's
 * host uuid. A domain of another host (another agent on the same libvirtd) is never touched.
 */
public final class OwnDomains {

    /** A domain of this host with what its metadata says. */
    public record Own(Domain domain, String name, DomainOwner owner) {
    }

    private final Supplier<String> hostUuid;

    /** @param hostUuid this agent's host uuid (known once the management server welcomed it) */
    public OwnDomains(Supplier<String> hostUuid) {
        this.hostUuid = Objects.requireNonNull(hostUuid, "hostUuid");
    }

    public String hostUuid() {
        return hostUuid.get();
    }

    /** The domain of that name if there is one; {@link VmException} if it is another host's. */
    public Optional<Own> find(Connect connect, String name) throws LibvirtException {
        Domain domain;
        try {
            domain = connect.domainLookupByName(name);
        } catch (LibvirtException e) {
            if (LibvirtErrors.isNoDomain(e)) {
                return Optional.empty();
            }
            throw e;
        }
        String xml;
        try {
            xml = domain.getXMLDesc(0);
        } catch (LibvirtException e) {
            if (LibvirtErrors.isNoDomain(e)) {
                return Optional.empty(); // it went away while we looked
            }
            throw e;
        }
        DomainOwner owner = DomainOwner.of(xml).orElseThrow(() -> new VmException("the domain " + name
                + " on this libvirtd was not started by rbdstack; leaving it alone"));
        if (!owner.hostUuid().equals(hostUuid())) {
            throw new VmException("the domain " + name + " on this libvirtd is another host's (host "
                    + owner.hostUuid() + " started it)");
        }
        return Optional.of(new Own(domain, name, owner));
    }

    /** The domain of that name; {@link VmException} when this host has none. */
    public Own require(Connect connect, String name) throws LibvirtException {
        return find(connect, name).orElseThrow(() -> new VmException("no domain " + name + " runs on this host"));
    }

    /** Every domain of this host. */
    public List<Own> list(Connect connect) throws LibvirtException {
        List<Own> own = new ArrayList<>();
        for (Domain domain : connect.listAllDomains(0)) {
            Optional<DomainOwner> owner = ownerOf(domain);
            if (owner.isPresent() && owner.get().hostUuid().equals(hostUuid())) {
                own.add(new Own(domain, domain.getName(), owner.get()));
            }
        }
        return own;
    }

    /** Empty for a domain without our metadata, or one that is gone. */
    private static Optional<DomainOwner> ownerOf(Domain domain) throws LibvirtException {
        try {
            return DomainOwner.of(domain.getXMLDesc(0));
        } catch (LibvirtException e) {
            if (LibvirtErrors.isNoDomain(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
