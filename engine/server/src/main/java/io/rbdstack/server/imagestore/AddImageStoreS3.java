package io.rbdstack.server.imagestore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbdstack.server.api.Access;
import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.api.Command;
import io.rbdstack.server.api.Entity;
import io.rbdstack.server.api.Param;
import io.rbdstack.server.api.SyncCommand;
import io.rbdstack.server.infra.ZoneRepository;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * CloudStack's addImageStoreS3 (4.7), which older clients still call: the same store as
 * {@code addImageStore provider=S3} with its details given as parameters, checked the same way, its
 * secret key stored encrypted, answered with the imagestore. CloudStack's S3 stores serve the whole
 * region; rbdstack's stores belong to a zone, so the store goes to the only zone, or to rbdstack's own
 * {@code zoneid} when there are several. The client tuning parameters are accepted and ignored: the
 * agents' own bounded timeouts and retries apply (README, Secondary storage). Only Signature V4 is
 * spoken, so {@code s3signer=S3SignerType} (V2) is refused rather than silently replaced.
 */
@Command(name = "addImageStoreS3", description = "Adds S3 Image Store", access = Access.ADMIN,
        response = "imagestore", event = "IMAGE.STORE.CREATE")
record AddImageStoreS3(
        @Param(description = "S3 access key") String accessKey,
        @Param(description = "S3 secret key; stored encrypted, never shown") String secretKey,
        @Param(description = "S3 endpoint: host[:port], or an http(s) URL whose scheme sets usehttps") String endpoint,
        @Param(name = "bucket", description = "Name of the storage bucket (3 to 63 lower-case letters, digits, dots"
                + " and hyphens)") String bucketName,
        @Param(description = "Signer Algorithm to use: AWSS3V4SignerType (Signature V4, the only one rbdstack"
                + " speaks); S3SignerType (V2) is refused") Optional<String> s3Signer,
        @Param(description = "Use HTTPS instead of HTTP (false by default)") Optional<Boolean> useHttps,
        @Param(description = "Connection timeout (milliseconds); accepted and ignored: the agents' own timeouts"
                + " apply", min = 0) Optional<Integer> connectionTimeout,
        @Param(description = "Maximum number of times to retry on error; accepted and ignored: the agents' own"
                + " retries apply", min = 0) Optional<Integer> maxErrorRetry,
        @Param(description = "Socket timeout (milliseconds); accepted and ignored: the agents' own timeouts apply",
                min = 0) Optional<Integer> socketTimeout,
        @Param(description = "Connection TTL (milliseconds); accepted and ignored", min = -1)
        Optional<Integer> connectionTtl,
        @Param(description = "Whether TCP keep-alive is used; accepted and ignored") Optional<Boolean> useTcpKeepAlive,
        @Param(description = "rbdstack's addition: the zone the store serves; may be left out when there is one"
                + " zone", entity = Entity.ZONE) Optional<String> zoneId,
        @Param(description = "rbdstack's addition: the name for the image store; the URL when absent",
                column = "image_store.name") Optional<String> name)
        implements SyncCommand<ImageStoreCommands.Deps> {

    /** The one signer rbdstack's S3 client (AWS SDK v2) uses. */
    static final String V4_SIGNER = "AWSS3V4SignerType";

    @Override
    public ObjectNode execute(Caller caller, ImageStoreCommands.Deps deps) {
        s3Signer.filter(signer -> !signer.equals(V4_SIGNER)).ifPresent(signer -> {
            throw ApiException.invalidParameter("Unsupported signer " + signer + ": rbdstack signs S3 requests with"
                    + " Signature V4 only, give " + V4_SIGNER + " or leave it out (parameter s3signer)");
        });
        Map<String, String> parameters = new HashMap<>(Map.of("accesskey", accessKey, "secretkey", secretKey,
                "endpoint", endpoint, "bucket", bucketName));
        useHttps.ifPresent(https -> parameters.put("usehttps", https.toString()));
        StoreUrl store = StoreUrl.s3(parameters);
        return ImageStoreCommands.added(deps, store, zoneId.orElseGet(() -> onlyZone(deps.zones())), name);
    }

    private static String onlyZone(ZoneRepository zones) {
        List<ZoneRepository.ZoneView> some = zones.list(Optional.empty(), Optional.empty(), Optional.empty(),
                " LIMIT 2");
        if (some.size() != 1) {
            throw ApiException.invalidParameter((some.isEmpty() ? "There is no zone yet" : "There are several zones")
                    + ": rbdstack's image stores serve one zone, give the zone's id (parameter zoneid)");
        }
        return some.get(0).id();
    }
}
