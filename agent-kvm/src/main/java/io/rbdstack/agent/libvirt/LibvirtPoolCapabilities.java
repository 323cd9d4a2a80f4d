package io.rbdstack.agent.libvirt;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Which storage pool types libvirtd supports, from {@code virConnectGetStoragePoolCapabilities}
 * (libvirt 5.2+; the answer {@code virsh pool-capabilities} prints). libvirt-java 0.5.4 does not
 * bind it, so it is called through JNA on a short-lived connection of its own. A libvirtd without
 * the RBD backend (libvirt-daemon-driver-storage-rbd missing) lists {@code <pool type='rbd'
 * supported='no'>}.
 */
public final class LibvirtPoolCapabilities {

    interface Virt extends Library {
        Pointer virConnectOpen(String uri);

        Pointer virConnectGetStoragePoolCapabilities(Pointer connection, int flags);

        int virConnectClose(Pointer connection);

        String virGetLastErrorMessage();
    }

    /** Loaded on first use, so merely loading this class needs no libvirt. */
    private static final class Holder {
        static final Virt VIRT = Native.load("virt", Virt.class);
    }

    private LibvirtPoolCapabilities() {
    }

    /** The capabilities XML of the libvirtd at {@code uri}. */
    public static String fetch(String uri) {
        Virt virt = Holder.VIRT;
        Pointer connection = virt.virConnectOpen(uri);
        if (connection == null) {
            throw new IllegalStateException("cannot connect to libvirtd at " + uri + ": " + virt.virGetLastErrorMessage());
        }
        try {
            Pointer xml = virt.virConnectGetStoragePoolCapabilities(connection, 0);
            if (xml == null) {
                throw new IllegalStateException("libvirtd at " + uri + " gave no storage pool capabilities: "
                        + virt.virGetLastErrorMessage());
            }
            try {
                return xml.getString(0);
            } finally {
                Native.free(Pointer.nativeValue(xml)); // libvirt hands the caller a malloc'd string
            }
        } finally {
            virt.virConnectClose(connection);
        }
    }

    /** Whether the capabilities list {@code <pool type='TYPE' supported='yes'>}. */
    public static boolean supports(String capabilitiesXml, String poolType) {
        NodeList pools = LibvirtXml.parse(capabilitiesXml).getElementsByTagName("pool");
        for (int i = 0; i < pools.getLength(); i++) {
            Element pool = (Element) pools.item(i);
            if (poolType.equals(pool.getAttribute("type"))) {
                return "yes".equals(pool.getAttribute("supported"));
            }
        }
        return false;
    }
}
