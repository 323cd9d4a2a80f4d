package io.rbdstack.spi.storage;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The directory of an image store: absolute, normalised (no empty, {@code .} or {@code ..} segment)
 * and not a system directory. The management server checks the URL an admin gives with it, and
 * every agent checks the real path of the directory it finds with it again (a symlink may lead
 * elsewhere on a host), so both sides apply this one rule. Creating one that breaks the rule throws
 * {@link ImageStorePathException} saying why.
 */
public record ImageStorePath(String directory) {

    /**
     * Refused together with everything below them: the operating system, its configuration, its
     * live state and the superuser's home. No shared file system belongs there. A trailing {@code *}
     * matches any name that starts with what precedes it ({@code /lib*}: lib, lib32, lib64, libx32).
     */
    public static final List<String> SYSTEM_TREES = List.of("/bin", "/boot", "/dev", "/etc", "/lib*", "/lost+found",
            "/proc", "/root", "/run", "/sbin", "/snap", "/sys", "/usr", "/var/cache", "/var/lib", "/var/lock",
            "/var/log", "/var/mail", "/var/run", "/var/spool");

    /**
     * Refused only themselves: they hold other users' or programs' files, so a store there would mix
     * with them, but a directory of the store's own below them is fine ({@code /var/backups/rbdstack},
     * {@code /home/backups}). /tmp and /var/tmp are also writable by every local user.
     */
    public static final List<String> SHARED_PARENTS = List.of("/", "/home", "/media", "/opt", "/tmp", "/var",
            "/var/tmp");

    public ImageStorePath {
        String normalised = normalise(directory);
        if (!normalised.equals(directory)) {
            throw new ImageStorePathException("the path " + directory + " is not normalised: give " + normalised);
        }
        String refusal = systemDirectoryRefusal(directory);
        if (refusal != null) {
            throw new ImageStorePathException(refusal);
        }
    }

    /** The store at {@code path}, once repeated and trailing slashes are dropped. */
    public static ImageStorePath of(String path) {
        return new ImageStorePath(normalise(path));
    }

    /**
     * The store a {@code file:///path} URL names. Percent-escapes are decoded before the path is
     * checked, so {@code %2e%2e} and {@code %2F} count as {@code ..} and {@code /}.
     */
    public static ImageStorePath fromUrl(String url) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new ImageStorePathException("not a URL (" + e.getReason() + "): give file:///<directory>");
        }
        if (uri.getScheme() == null || !uri.getScheme().toLowerCase(Locale.ROOT).equals("file")) {
            throw new ImageStorePathException("unsupported image store URL " + url + ": the agents mount nothing"
                    + " themselves; mount the share (NFS, CephFS...) at the same path on every KVM host of the zone"
                    + " and give file:///<that path> with provider SharedMountPoint");
        }
        if (uri.isOpaque()) {
            throw new ImageStorePathException("the path of " + url + " is not absolute: give file:///<directory>");
        }
        if (uri.getRawAuthority() != null && !uri.getRawAuthority().isEmpty()) {
            throw new ImageStorePathException(url + " names host " + uri.getRawAuthority() + ": an image store is a"
                    + " directory mounted at the same path on every KVM host of the zone, not a remote location, so"
                    + " give file:///<path> (three slashes), e.g. file://" + uri.getRawPath());
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new ImageStorePathException(url + " has a query or fragment: give file:///<directory> alone");
        }
        return of(uri.getPath());
    }

    /** This store as a {@code file:///path} URL, percent-encoded where a URL needs it. */
    public String url() {
        try {
            return new URI("file", "", directory, null, null).toASCIIString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("a checked path makes a URL: " + directory, e);
        }
    }

    private static String normalise(String path) {
        if (path == null || path.isEmpty()) {
            throw new ImageStorePathException("the path is empty: give file:///<directory>");
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (Character.isISOControl(c)) {
                throw new ImageStorePathException("the path has a control character (code " + (int) c + ")");
            }
            if (c == '\uFFFD') {
                // What a percent-escape that is not UTF-8 decodes to (%c0%ae, an overlong '.').
                throw new ImageStorePathException("the path " + path + " has a percent-escape that is not UTF-8");
            }
        }
        if (!path.startsWith("/")) {
            throw new ImageStorePathException("the path " + path + " is not absolute: give file:///<directory>");
        }
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/")) {
            if (segment.equals(".") || segment.equals("..")) {
                throw new ImageStorePathException("the path " + path + " has a '" + segment + "' segment (percent-encoded"
                        + " ones count too): give the store's directory itself, without . or .. segments");
            }
            if (!segment.isEmpty()) {
                segments.add(segment);
            }
        }
        return "/" + String.join("/", segments);
    }

    /** Why {@code path} (normalised) may not be a store, or null when it may. */
    private static String systemDirectoryRefusal(String path) {
        for (String tree : SYSTEM_TREES) {
            if (isInTree(path, tree)) {
                return path + " is a system directory: an image store may not be " + tree + " or anything below it"
                        + " (see docs/snapshots-and-backups.md); mount the store at a directory of its own, such as"
                        + " /mnt/secondary";
            }
        }
        if (SHARED_PARENTS.contains(path)) {
            return path + " is a system directory: an image store may be a directory of its own below " + path
                    + " but not " + path + " itself (see docs/snapshots-and-backups.md)";
        }
        return null;
    }

    private static boolean isInTree(String path, String tree) {
        String[] treeSegments = tree.substring(1).split("/");
        String[] pathSegments = path.substring(1).split("/");
        if (pathSegments.length < treeSegments.length) {
            return false;
        }
        for (int i = 0; i < treeSegments.length; i++) {
            String want = treeSegments[i];
            boolean matches = want.endsWith("*") ? pathSegments[i].startsWith(want.substring(0, want.length() - 1))
                    : pathSegments[i].equals(want);
            if (!matches) {
                return false;
            }
        }
        return true;
    }
}
