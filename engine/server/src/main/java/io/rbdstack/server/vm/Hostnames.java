package io.rbdstack.server.vm;

import io.rbdstack.server.api.ApiException;
import java.util.regex.Pattern;

/** A VM's name is its guest's host name: one RFC 1123 label, checked as CloudStack checks it. */
final class Hostnames {

    private static final Pattern LABEL = Pattern.compile("[A-Za-z]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

    private Hostnames() {
    }

    static boolean valid(String name) {
        return LABEL.matcher(name).matches();
    }

    /** The name as given, or 431 with CloudStack's text. */
    static String require(String name) {
        if (!valid(name)) {
            throw ApiException.invalidParameter("Invalid hostname: " + name + ". Vm's hostname can contain ASCII"
                    + " letters 'a' through 'z', the digits '0' through '9', and the hyphen ('-'), must be between 1"
                    + " and 63 characters long, and can't start or end with \"-\" and can't start with digit"
                    + " (parameter name)");
        }
        return name;
    }

    /** CloudStack's default name for a VM given none: "VM-" and its uuid. */
    static String generated(String vmUuid) {
        return "VM-" + vmUuid;
    }
}
