package io.rbdstack.agent.libvirt;

import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;

/** Reading libvirt's error codes. */
public final class LibvirtErrors {

    private LibvirtErrors() {
    }

    /** The lookup found nothing: no such storage pool or secret. */
    static boolean isAbsent(LibvirtException e) {
        ErrorNumber code = code(e);
        return code == ErrorNumber.VIR_ERR_NO_STORAGE_POOL || code == ErrorNumber.VIR_ERR_NO_SECRET;
    }

    /** The lookup found no such domain. */
    public static boolean isNoDomain(LibvirtException e) {
        return code(e) == ErrorNumber.VIR_ERR_NO_DOMAIN;
    }

    /** libvirt's error code, or null when the exception carries none. */
    public static ErrorNumber code(LibvirtException e) {
        return e.getError() == null ? null : e.getError().getCode();
    }
}
