package io.rbdstack.agent.store.s3;

import io.rbdstack.spi.Secret;
import io.rbdstack.spi.storage.S3StoreUrl;
import io.rbdstack.spi.storage.StoreCredentials;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.TrustManager;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * One S3 client per endpoint, region and key pair, kept for the agent's life: a client owns a pool
 * of HTTP connections, and every backup, restore and delete of a store opens the store anew.
 * Clients use path-style addressing (RGW, MinIO) and bounded timeouts, so an endpoint that is down
 * or stalls fails an operation in bounded time. Over HTTPS ({@code usehttps=true}) the endpoint's certificate
 * is verified against the JVM's trusted certificates (the host's Java truststore, where an admin adds a
 * private CA), and its name against the endpoint's host.
 */
final class S3Clients {

    /** How long each read or write on a connection may take: {@code -Drbdstack.s3.timeout.ms}, 20 s by default. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(Long.getLong("rbdstack.s3.timeout.ms", 20_000));
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /** {@code trust}: the certificates an HTTPS endpoint's must chain to; null for the JVM's (identity: tests). */
    private record Key(URI endpoint, String region, String accessKey, Secret secretKey, Duration timeout,
                       TrustManager[] trust) {
    }

    private static final Map<Key, S3Client> CLIENTS = new ConcurrentHashMap<>();

    private S3Clients() {
    }

    static S3Client of(S3StoreUrl store, StoreCredentials credentials, Duration timeout) {
        return of(store, credentials, timeout, null);
    }

    /** As the other, trusting {@code trust} rather than the JVM's certificates over HTTPS (tests: a test CA). */
    static S3Client of(S3StoreUrl store, StoreCredentials credentials, Duration timeout, TrustManager[] trust) {
        Key key = new Key(store.endpointUri(), store.region(), credentials.accessKey(), credentials.secretKey(),
                timeout, trust);
        return CLIENTS.computeIfAbsent(key, S3Clients::create);
    }

    private static S3Client create(Key key) {
        Apache5HttpClient.Builder http = Apache5HttpClient.builder()
                .connectionTimeout(CONNECT_TIMEOUT)
                .connectionAcquisitionTimeout(key.timeout())
                .socketTimeout(key.timeout())
                .maxConnections(16);
        if (key.trust() != null) {
            http.tlsTrustManagersProvider(key::trust);
        }
        return S3Client.builder()
                .endpointOverride(key.endpoint())
                .region(Region.of(key.region()))
                .forcePathStyle(true)
                // Over plain HTTP (the SDK signs payloads only there): the payload's hash computed before a part is
                // sent (it is in memory), not in aws-chunked encoding, whose encoder allocated a new array for every
                // 128 KiB chunk: the data passed through the heap ~3 times over (8 young collections a second during
                // four concurrent backups).
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(key.accessKey(), key.secretKey().reveal())))
                // Only the checksums S3 requires: RGW 16 knows no flexible (CRC) checksum trailers.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                // A blocked socket write has no timeout of its own (an endpoint that stops reading): every
                // attempt, a part's upload of at most 5 MiB too, is aborted after twice the timeout.
                .overrideConfiguration(o -> o.apiCallAttemptTimeout(key.timeout().multipliedBy(2)))
                .httpClientBuilder(http)
                .build();
    }
}
