package io.rbdstack.spi.storage;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Where registerTemplate's {@code url} points: an http(s) URL with a host, or a file on the agent's
 * host given as {@code file:///absolute/path} or {@code /absolute/path}. A path must be absolute and
 * normalised (no empty, {@code .} or {@code ..} segment, percent-escapes decoded first), so it cannot
 * climb out of the directory the agent allows; the agent then checks the file's real path (after
 * symlinks) against that directory with {@link #within}. The server and the agent apply this one rule.
 */
public record TemplateUrl(URI http, String path) {

    /** Parses the URL, throwing IllegalArgumentException with the reason when it breaks the rule. */
    public static TemplateUrl parse(String url) {
        String text = url == null ? "" : url.trim();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("the template URL is empty");
        }
        if (text.startsWith("/")) {
            return new TemplateUrl(null, checkedPath(text));
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        switch (scheme) {
            case "http", "https" -> {
                if (uri.getHost() == null || uri.getHost().isEmpty()) {
                    throw new IllegalArgumentException("the URL " + text + " names no host");
                }
                if (uri.getRawUserInfo() != null) {
                    throw new IllegalArgumentException("the URL must not carry a user name or password");
                }
                return new TemplateUrl(uri, null);
            }
            case "file" -> {
                if (uri.getRawAuthority() != null && !uri.getRawAuthority().isEmpty()) {
                    throw new IllegalArgumentException("a file URL names a file on the agent's host: give"
                            + " file:///<absolute path>");
                }
                return new TemplateUrl(null, checkedPath(URLDecoder.decode(
                        uri.getRawPath() == null ? "" : uri.getRawPath().replace("+", "%2B"), StandardCharsets.UTF_8)));
            }
            default -> throw new IllegalArgumentException("unsupported URL scheme '" + scheme + "': use http, https,"
                    + " or an absolute path on the agent's host (file:///…)");
        }
    }

    public Optional<URI> httpUri() {
        return Optional.ofNullable(http);
    }

    public Optional<String> filePath() {
        return Optional.ofNullable(path);
    }

    /** Whether {@code realFile} (a real path: symlinks resolved) lies inside {@code realDirectory}. */
    public static boolean within(Path realFile, Path realDirectory) {
        return realFile.isAbsolute() && realFile.normalize().equals(realFile) && realFile.startsWith(realDirectory)
                && !realFile.equals(realDirectory);
    }

    private static String checkedPath(String path) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("the template path " + path + " is not absolute");
        }
        if (path.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("the template path contains control characters");
        }
        String[] segments = path.substring(1).split("/", -1);
        for (String segment : segments) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("the template path " + path + " is not normalised (no empty, '.'"
                        + " or '..' segments)");
            }
        }
        return path;
    }
}
