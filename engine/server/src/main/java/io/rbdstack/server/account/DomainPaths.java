package io.rbdstack.server.account;

/**
 * Domain paths as stored ("/" for ROOT, "/a/b/" below it, CloudStack's form) and as the API shows them
 * ("ROOT", "ROOT/a/b").
 */
public final class DomainPaths {

    public static final String ROOT = "/";

    private DomainPaths() {
    }

    /** listDomains' {@code path} and the {@code domainpath} of other responses. */
    public static String display(String path) {
        return "ROOT" + path.substring(0, path.length() - 1);
    }

    /** The domain's name, the last segment of its path ("ROOT" for "/"). */
    public static String name(String path) {
        if (path.equals(ROOT)) {
            return "ROOT";
        }
        String inner = path.substring(0, path.length() - 1);
        return inner.substring(inner.lastIndexOf('/') + 1);
    }

    /** ROOT is level 0, its children 1 … */
    public static int level(String path) {
        return (int) path.chars().filter(c -> c == '/').count() - 1;
    }

    /** The path of a domain named {@code name} under the domain at {@code parentPath}. */
    public static String child(String parentPath, String name) {
        return parentPath + name + "/";
    }
}
