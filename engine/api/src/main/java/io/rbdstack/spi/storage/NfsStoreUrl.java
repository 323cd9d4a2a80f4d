package io.rbdstack.spi.storage;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * An NFS image store, CloudStack's {@code nfs://server/export/path}: the whole path is the export
 * the agents mount through libnfs (NFSv3, no kernel mount). As rbdstack's addition the query may
 * name the ports of a server without rpcbind, libnfs's own {@code ?nfsport=N&mountport=N}. The
 * server checks the URL an admin gives with this, and the agent parses it again.
 */
public record NfsStoreUrl(String server, String export, OptionalInt nfsPort, OptionalInt mountPort) {

    public NfsStoreUrl {
        if (server == null || server.isEmpty()) {
            throw new ImageStorePathException("the URL names no NFS server: give nfs://<server>/<export path>");
        }
        if (!server.matches("[A-Za-z0-9.:\\[\\]-]+")) {
            throw new ImageStorePathException("the NFS server " + server + " is not a host name or IP address");
        }
        if (export == null || !export.startsWith("/") || export.length() < 2) {
            throw new ImageStorePathException("the URL names no export path: give nfs://<server>/<export path>");
        }
        for (String segment : export.substring(1).split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")
                    || segment.chars().anyMatch(c -> Character.isISOControl(c) || c == '?' || c == '#')) {
                throw new ImageStorePathException("the export path " + export + " is not normalised: no empty, . or .."
                        + " segment and no control character");
            }
        }
    }

    /** True when {@code url} is meant as an NFS store (its scheme is nfs), whether valid or not. */
    public static boolean isNfs(String url) {
        return url != null && url.trim().toLowerCase(Locale.ROOT).startsWith("nfs:");
    }

    /** The store {@code nfs://server/export/path[?nfsport=N&mountport=N]} names. */
    public static NfsStoreUrl parse(String url) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new ImageStorePathException("not a URL (" + e.getReason() + "): give nfs://<server>/<export path>");
        }
        if (uri.getScheme() == null || !uri.getScheme().equalsIgnoreCase("nfs") || uri.isOpaque()) {
            throw new ImageStorePathException("not an NFS URL: give nfs://<server>/<export path>");
        }
        if (uri.getRawUserInfo() != null || uri.getPort() != -1) {
            throw new ImageStorePathException(url + " has a user or a port: give nfs://<server>/<export path>, and the"
                    + " ports, if the server has no rpcbind, as ?nfsport=N&mountport=N");
        }
        if (uri.getRawFragment() != null) {
            throw new ImageStorePathException(url + " has a fragment: give nfs://<server>/<export path>");
        }
        OptionalInt nfsPort = OptionalInt.empty();
        OptionalInt mountPort = OptionalInt.empty();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                String[] kv = pair.split("=", 2);
                String value = kv.length == 2 ? kv[1] : "";
                switch (kv[0]) {
                    case "nfsport" -> nfsPort = OptionalInt.of(port(value, kv[0]));
                    case "mountport" -> mountPort = OptionalInt.of(port(value, kv[0]));
                    default -> throw new ImageStorePathException("unknown option " + kv[0] + " in " + url
                            + ": only nfsport and mountport may be given");
                }
            }
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        while (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return new NfsStoreUrl(uri.getHost() == null ? uri.getRawAuthority() : uri.getHost(), path, nfsPort, mountPort);
    }

    private static int port(String value, String name) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // Refused below.
        }
        throw new ImageStorePathException(name + " must be a port number from 1 to 65535, not '" + value + "'");
    }

    /** The URL in its normal form, as stored and as libnfs parses it. */
    public String url() {
        StringBuilder url = new StringBuilder("nfs://").append(server).append(export);
        List<String> options = new ArrayList<>();
        nfsPort.ifPresent(port -> options.add("nfsport=" + port));
        mountPort.ifPresent(port -> options.add("mountport=" + port));
        if (!options.isEmpty()) {
            url.append('?').append(String.join("&", options));
        }
        return url.toString();
    }
}
