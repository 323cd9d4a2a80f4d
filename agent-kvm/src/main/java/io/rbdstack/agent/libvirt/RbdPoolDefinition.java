package io.rbdstack.agent.libvirt;

import io.rbdstack.storage.rbd.agent.CephMonitor;
import io.rbdstack.storage.rbd.agent.RbdPool;
import java.util.ArrayList;
import java.util.List;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The parts of a libvirt {@code rbd} storage pool's definition the agent decides: the libvirt pool
 * is named by, and has, the RBD pool's uuid; one {@code <host>} per monitor; the Ceph pool; the
 * cephx user and the uuid of the libvirt secret holding its key. Two definitions are equal exactly
 * when libvirt would connect the same way, which is how the agent knows to replace a pool. The VM
 * code reads a defined pool's monitors, user and secret uuid from it for the domains' RBD disks.
 */
public record RbdPoolDefinition(String name, String uuid, List<CephMonitor> monitors, String cephPool, String user,
                         String secretUuid) {

    public RbdPoolDefinition {
        monitors = List.copyOf(monitors);
    }

    static RbdPoolDefinition of(RbdPool pool, String secretUuid) {
        return new RbdPoolDefinition(pool.uuid(), pool.uuid(), pool.monitors(), pool.cephPool(), pool.cephUser(),
                secretUuid);
    }

    /**
     * The pool XML. IPv6 monitors go in bare ({@code name='fd00::1'}): libvirt itself puts the
     * brackets around a numeric IPv6 address when it builds librados' mon_host.
     */
    String toXml() {
        StringBuilder xml = new StringBuilder("<pool type='rbd'>")
                .append("<name>").append(LibvirtXml.escape(name)).append("</name>")
                .append("<uuid>").append(LibvirtXml.escape(uuid)).append("</uuid>")
                .append("<source>");
        for (CephMonitor monitor : monitors) {
            xml.append("<host name='").append(LibvirtXml.escape(monitor.host())).append("' port='")
                    .append(monitor.port()).append("'/>");
        }
        return xml.append("<name>").append(LibvirtXml.escape(cephPool)).append("</name>")
                .append("<auth type='ceph' username='").append(LibvirtXml.escape(user)).append("'>")
                .append("<secret uuid='").append(LibvirtXml.escape(secretUuid)).append("'/>")
                .append("</auth></source></pool>")
                .toString();
    }

    /** The definition in libvirt's XML of a pool; a pool that is not an rbd pool gives null. */
    static RbdPoolDefinition fromXml(String xml) {
        Element pool = LibvirtXml.parse(xml);
        if (!"rbd".equals(pool.getAttribute("type"))) {
            return null;
        }
        Element source = LibvirtXml.child(pool, "source");
        List<CephMonitor> monitors = new ArrayList<>();
        if (source != null) {
            NodeList hosts = source.getElementsByTagName("host");
            for (int i = 0; i < hosts.getLength(); i++) {
                Element host = (Element) hosts.item(i);
                String port = host.getAttribute("port");
                monitors.add(new CephMonitor(host.getAttribute("name"),
                        port.isEmpty() ? CephMonitor.V1_PORT : Integer.parseInt(port)));
            }
        }
        Element auth = LibvirtXml.child(source, "auth");
        return new RbdPoolDefinition(LibvirtXml.childText(pool, "name"), LibvirtXml.childText(pool, "uuid"),
                monitors, LibvirtXml.childText(source, "name"), LibvirtXml.attribute(auth, "username"),
                LibvirtXml.attribute(LibvirtXml.child(auth, "secret"), "uuid"));
    }
}
