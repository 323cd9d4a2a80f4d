package io.rbdstack.server.imagestore;

import io.rbdstack.server.api.ApiException;
import io.rbdstack.spi.Secret;
import io.rbdstack.spi.storage.ImageStorePath;
import io.rbdstack.spi.storage.ImageStorePathException;
import io.rbdstack.spi.storage.NfsStoreUrl;
import io.rbdstack.spi.storage.S3StoreUrl;
import io.rbdstack.spi.storage.StoreCredentials;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The store an admin gave to addImageStore, checked and normalised: SharedMountPoint takes
 * {@code file:///path} (the rule both the server and the agents apply: no {@code .} or {@code ..}
 * segment, encoded ones too, no host, not a system directory), NFS CloudStack's
 * {@code nfs://server/export/path}, which the agents reach through libnfs without mounting it, and S3
 * CloudStack's details (accesskey, secretkey, bucket, endpoint, usehttps; region is rbdstack's
 * addition), or {@code url=http(s)://endpoint/bucket} in place of the last three.
 *
 * @param parameter the API parameter a store that cannot be used is blamed on, or null for none
 * @param credentials the store's keys (S3), else null
 */
record StoreUrl(String provider, String protocol, String url, StoreCredentials credentials, String parameter) {

    static StoreUrl of(String provider, Optional<String> url, Map<String, String> details) {
        try {
            if (provider.equalsIgnoreCase(ImageStoreCommands.S3_PROVIDER)) {
                return s3(url, details, DETAILS);
            }
            String given = url.orElseThrow(() -> ApiException.invalidParameter("Missing parameter url: provider "
                    + provider + " needs the store's URL"));
            if (provider.equalsIgnoreCase(ImageStoreCommands.NFS_PROVIDER)) {
                return new StoreUrl(ImageStoreCommands.NFS_PROVIDER, "nfs", NfsStoreUrl.parse(given).url(), null, "url");
            }
            if (provider.equalsIgnoreCase(ImageStoreCommands.PROVIDER)) {
                return new StoreUrl(ImageStoreCommands.PROVIDER, "file", ImageStorePath.fromUrl(given).url(), null,
                        "url");
            }
        } catch (ImageStorePathException e) {
            throw ApiException.invalidParameter("Invalid value for parameter " + (provider.equalsIgnoreCase(
                    ImageStoreCommands.S3_PROVIDER) ? DETAILS.apply(e.part()) : "url") + ": " + e.getMessage());
        }
        throw ApiException.invalidParameter("Unsupported image store provider " + provider
                + ": use NFS, S3 or SharedMountPoint (parameter provider)");
    }

    /**
     * How addImageStore names an S3 detail: {@code details[].bucket}, as the RBD plugin names its details
     * (the UI places the error under that field); {@code details} for a fault of no one detail.
     */
    private static final UnaryOperator<String> DETAILS = key -> key == null ? "details" : "details[]." + key;

    /**
     * An S3 store from addImageStoreS3's parameters (CloudStack's names: accesskey, secretkey, bucket,
     * endpoint, usehttps), checked as addImageStore's details are; its errors name those parameters, and a
     * store its hosts cannot use names none (the keys, the bucket or the endpoint may be at fault).
     */
    static StoreUrl s3(Map<String, String> parameters) {
        try {
            StoreUrl store = s3(Optional.empty(), parameters, UnaryOperator.identity());
            return new StoreUrl(store.provider(), store.protocol(), store.url(), store.credentials(), null);
        } catch (ImageStorePathException e) {
            throw ApiException.invalidParameter("Invalid value for parameter " + (e.part() == null ? "endpoint"
                    : e.part()) + ": " + e.getMessage());
        }
    }

    /** {@code parameterOf}: the API parameter that carried a detail, for the errors. */
    private static StoreUrl s3(Optional<String> url, Map<String, String> details, UnaryOperator<String> parameterOf) {
        Map<String, String> d = lowerCaseKeys(details);
        List<String> missing = new ArrayList<>();
        for (String required : List.of("accesskey", "secretkey")) {
            if (d.getOrDefault(required, "").isBlank()) {
                missing.add(required);
            }
        }
        String endpoint = d.get("endpoint");
        String bucket = d.get("bucket");
        if (url.isPresent() && !url.get().isBlank()) {
            if (endpoint != null) {
                throw ApiException.invalidParameter("Give the S3 endpoint once: as url or as the details endpoint,"
                        + " not both (parameter url)");
            }
            HttpUrl parsed = HttpUrl.parse(url.get());
            if (parsed.bucket() != null && bucket != null && !parsed.bucket().equals(bucket.trim())) {
                throw ApiException.invalidParameter("The url names bucket " + parsed.bucket() + " but the details"
                        + " name bucket " + bucket + " (parameter url)");
            }
            endpoint = parsed.endpoint();
            bucket = parsed.bucket() != null ? parsed.bucket() : bucket;
        }
        if (endpoint == null || endpoint.isBlank()) {
            missing.add("endpoint");
        }
        if (bucket == null || bucket.isBlank()) {
            missing.add("bucket");
        }
        if (!missing.isEmpty()) {
            throw ApiException.invalidParameter("Missing details for provider S3: " + String.join(", ", missing)
                    + " (parameter " + parameterOf.apply(missing.get(0)) + ")");
        }
        S3StoreUrl store = S3StoreUrl.of(endpoint, bucket, d.get("usehttps"), d.get("region"));
        return new StoreUrl(ImageStoreCommands.S3_PROVIDER, store.useHttps() ? "https" : "http", store.url(),
                new StoreCredentials(d.get("accesskey").trim(), Secret.of(d.get("secretkey").trim())), "details");
    }

    /** {@code url=http(s)://endpoint[/bucket]}: the endpoint with its scheme, and the bucket if it names one. */
    private record HttpUrl(String endpoint, String bucket) {
        static HttpUrl parse(String url) {
            URI uri;
            try {
                uri = new URI(url.trim());
            } catch (URISyntaxException e) {
                throw ApiException.invalidParameter("Invalid value for parameter url: " + e.getMessage());
            }
            String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("^/+|/+$", "");
            if (uri.getScheme() == null || !uri.getScheme().matches("(?i)https?") || uri.getRawAuthority() == null
                    || path.contains("/") || uri.getRawQuery() != null || uri.getRawUserInfo() != null) {
                throw ApiException.invalidParameter("Invalid value for parameter url: for S3 give"
                        + " http(s)://<endpoint>[/<bucket>], or leave it out and give the details endpoint and bucket");
            }
            return new HttpUrl(uri.getScheme() + "://" + uri.getRawAuthority(), path.isEmpty() ? null : path);
        }
    }

    private static Map<String, String> lowerCaseKeys(Map<String, String> details) {
        Map<String, String> lower = new java.util.HashMap<>();
        if (details != null) {
            details.forEach((k, v) -> lower.put(k.toLowerCase(java.util.Locale.ROOT), v));
        }
        return lower;
    }
}
