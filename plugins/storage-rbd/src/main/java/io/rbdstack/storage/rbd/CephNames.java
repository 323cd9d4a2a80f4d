package io.rbdstack.storage.rbd;

import java.util.regex.Pattern;

/**
 * Checks Ceph user and pool names. Ceph accepts almost any text in these names. rbdstack allows
 * only letters, digits, '.', '-' and '_'. With that set a name can go unescaped into libvirt XML, an
 * rbd image spec ({@code pool/image@snap}, where '/' and '@' mean something), a url and a shell log
 * line.
 */
final class CephNames {

    private static final String CLIENT_PREFIX = "client.";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");

    private CephNames() {
    }

    /** The cephx id: "client.admin" and "admin" both give "admin". */
    static String user(String text, String parameter) throws InvalidRbdDefinitionException {
        String id = text.startsWith(CLIENT_PREFIX) ? text.substring(CLIENT_PREFIX.length()) : text;
        if (id.isEmpty()) {
            throw new InvalidRbdDefinitionException(parameter, "the user is empty after 'client.'");
        }
        if (!NAME.matcher(id).matches()) {
            throw new InvalidRbdDefinitionException(parameter, "the user may contain only letters, digits, '.', '-'"
                    + " and '_', and must not start with '.'");
        }
        return id;
    }

    static String pool(String text, String parameter) throws InvalidRbdDefinitionException {
        if (text.indexOf('/') >= 0) {
            throw new InvalidRbdDefinitionException(parameter, "the pool contains '/', as in pool/namespace: RBD"
                    + " namespaces are not supported yet; give the pool only");
        }
        if (text.startsWith(".")) {
            throw new InvalidRbdDefinitionException(parameter, "pools whose names start with '.' are Ceph's own"
                    + " (such as .mgr) and cannot hold volumes");
        }
        if (!NAME.matcher(text).matches()) {
            throw new InvalidRbdDefinitionException(parameter, "the pool may contain only letters, digits, '.', '-'"
                    + " and '_'");
        }
        return text;
    }
}
