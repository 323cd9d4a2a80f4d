package io.rbdstack.agent.libvirt;

import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;

/** Reading libvirt's error codes. */
final class LibvirtErrors {

    private LibvirtErrors() {
    }

    /** The lookup found nothing: no such storage pool or secret. */
    static boolean isAbsent(LibvirtException e) {
        ErrorNumber code = e.getError() == null ? null : e.getError().getCode();
        return code == ErrorNumber.VIR_ERR_NO_STORAGE_POOL || code == ErrorNumber.VIR_ERR_NO_SECRET;
    }
}
