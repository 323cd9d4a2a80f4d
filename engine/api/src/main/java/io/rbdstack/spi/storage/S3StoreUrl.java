package io.rbdstack.spi.storage;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * An S3 image store: a bucket at an endpoint ({@code host[:port]}), reached over HTTPS or HTTP with
 * path-style addressing (as Ceph RGW and MinIO need), signed for a region. Its URL,
 * {@code s3://<endpoint>/<bucket>?usehttps=<bool>&region=<region>}, holds nothing secret: the keys
 * travel beside it ({@link StoreCredentials}). The server builds it from CloudStack's details of
 * {@code addImageStore provider=S3}; the agent parses it again.
 */
public record S3StoreUrl(String endpoint, String bucket, boolean useHttps, String region) {

    /** The region requests are signed for when none is given; RGW and MinIO accept it. */
    public static final String DEFAULT_REGION = "us-east-1";

    public S3StoreUrl {
        if (endpoint == null || !endpoint.matches("[A-Za-z0-9.-]+(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]+\\](:[0-9]{1,5})?")) {
            throw new ImageStorePathException("the S3 endpoint " + endpoint + " is not host[:port]", "endpoint");
        }
        if (bucket == null || !bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new ImageStorePathException("the bucket name " + bucket + " is not a valid S3 bucket name: 3 to 63"
                    + " lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit", "bucket");
        }
        if (region == null || !region.matches("[a-z0-9-]{1,64}")) {
            throw new ImageStorePathException("the region " + region + " is not an S3 region name such as "
                    + DEFAULT_REGION, "region");
        }
    }

    /**
     * The store from CloudStack's details: {@code endpoint} as host[:port] or as an http(s) URL (whose
     * scheme then sets HTTPS, and must agree with {@code usehttps} when both are given). HTTP unless
     * one of them says otherwise, as CloudStack's S3 stores.
     */
    public static S3StoreUrl of(String endpoint, String bucket, String useHttps, String region) {
        if (endpoint == null || endpoint.isBlank()) {
            throw new ImageStorePathException("the S3 endpoint is missing", "endpoint");
        }
        Boolean https = useHttps == null || useHttps.isBlank() ? null : parseBoolean(useHttps);
        String hostPort = endpoint.trim();
        int scheme = hostPort.indexOf("://");
        if (scheme >= 0) {
            String name = hostPort.substring(0, scheme).toLowerCase(Locale.ROOT);
            if (!name.equals("http") && !name.equals("https")) {
                throw new ImageStorePathException("the S3 endpoint " + endpoint + " is neither host[:port] nor an"
                        + " http(s) URL", "endpoint");
            }
            boolean schemeHttps = name.equals("https");
            if (https != null && https != schemeHttps) {
                throw new ImageStorePathException("the S3 endpoint " + endpoint + " says " + name + " but usehttps is "
                        + https, "usehttps");
            }
            https = schemeHttps;
            hostPort = hostPort.substring(scheme + 3);
            while (hostPort.endsWith("/")) {
                hostPort = hostPort.substring(0, hostPort.length() - 1);
            }
        }
        return new S3StoreUrl(hostPort, bucket == null ? null : bucket.trim(), https != null && https,
                region == null || region.isBlank() ? DEFAULT_REGION : region.trim());
    }

    /** True when {@code url} is meant as an S3 store (its scheme is s3), whether valid or not. */
    public static boolean isS3(String url) {
        return url != null && url.trim().toLowerCase(Locale.ROOT).startsWith("s3:");
    }

    /** The store {@code s3://<endpoint>/<bucket>?usehttps=<bool>&region=<region>} names. */
    public static S3StoreUrl parse(String url) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new ImageStorePathException("not a URL (" + e.getReason() + "): give s3://<endpoint>/<bucket>");
        }
        if (uri.getScheme() == null || !uri.getScheme().equalsIgnoreCase("s3") || uri.isOpaque()
                || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw new ImageStorePathException("not an S3 store URL: give s3://<endpoint>/<bucket>");
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        String useHttps = null;
        String region = null;
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                String[] kv = pair.split("=", 2);
                String value = kv.length == 2 ? kv[1] : "";
                switch (kv[0]) {
                    case "usehttps" -> useHttps = value;
                    case "region" -> region = value;
                    default -> throw new ImageStorePathException("unknown option " + kv[0] + " in " + url
                            + ": only usehttps and region may be given");
                }
            }
        }
        return of(uri.getRawAuthority(), path.startsWith("/") ? path.substring(1) : path, useHttps, region);
    }

    /** The URL in its normal form, as stored and as the agent parses it. */
    public String url() {
        return "s3://" + endpoint + "/" + bucket + "?usehttps=" + useHttps + "&region=" + region;
    }

    /** The endpoint as the S3 client takes it: {@code http(s)://host[:port]}. */
    public URI endpointUri() {
        return URI.create((useHttps ? "https://" : "http://") + endpoint);
    }

    private static boolean parseBoolean(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ImageStorePathException("usehttps must be true or false, not '" + value + "'",
                    "usehttps");
        };
    }
}
