package io.rbdstack.server.imagestore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.auth.crypto.SecretCipher;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StoreUrlTest {

    private static final String SECRET = "s3cr3t-Key/with+chars";

    private static Map<String, String> s3Details(String... more) {
        Map<String, String> d = new java.util.HashMap<>(Map.of("accesskey", "AK1", "secretkey", SECRET));
        for (int i = 0; i < more.length; i += 2) {
            d.put(more[i], more[i + 1]);
        }
        return d;
    }

    private static String refused(Optional<String> url, Map<String, String> details) {
        ApiException e = assertThrows(ApiException.class, () -> StoreUrl.of("S3", url, details));
        assertEquals(io.rbdstack.server.api.ApiErrorCode.PARAM_ERROR, e.errorCode(), e.getMessage());
        return e.getMessage();
    }

    @Test
    void cloudStacksS3DetailsMakeTheStore() {
        StoreUrl store = StoreUrl.of("s3", Optional.empty(), s3Details("bucket", "backups", "endpoint",
                "127.0.0.1:7480", "usehttps", "false"));
        assertEquals("S3", store.provider());
        assertEquals("http", store.protocol());
        assertEquals("s3://127.0.0.1:7480/backups?usehttps=false&region=us-east-1", store.url());
        assertEquals("AK1", store.credentials().accessKey());
        assertEquals(SECRET, store.credentials().secretKey().reveal());
        assertFalse(store.toString().contains(SECRET), store.toString());
        assertEquals("details", store.parameter());
    }

    @Test
    void aTopLevelUrlMayNameTheEndpointAndBucket() {
        StoreUrl store = StoreUrl.of("S3", Optional.of("https://s3.example.com/backups"), s3Details());
        assertEquals("s3://s3.example.com/backups?usehttps=true&region=us-east-1", store.url());
        assertEquals("https", store.protocol());
        StoreUrl bucketInDetails = StoreUrl.of("S3", Optional.of("http://h:80"), s3Details("bucket", "b-2"));
        assertEquals("s3://h:80/b-2?usehttps=false&region=us-east-1", bucketInDetails.url());
    }

    @Test
    void missingOrConflictingDetailsAre431NamingThem() {
        assertTrue(refused(Optional.empty(), Map.of("bucket", "b1", "endpoint", "h"))
                .contains("accesskey, secretkey"));
        assertTrue(refused(Optional.empty(), s3Details()).contains("endpoint, bucket"));
        assertTrue(refused(Optional.of("https://h/b1"), s3Details("bucket", "b2")).contains("bucket"));
        assertTrue(refused(Optional.of("https://h/b1"), s3Details("endpoint", "h")).contains("once"));
        assertTrue(refused(Optional.of("ftp://h/b1"), s3Details()).contains("parameter url"));
        assertTrue(refused(Optional.empty(), s3Details("bucket", "B_1", "endpoint", "h"))
                .contains("parameter details[].bucket:"));
        assertTrue(refused(Optional.of("https://h/b1"), s3Details("usehttps", "false")).contains("usehttps"));
        assertTrue(refused(Optional.empty(), s3Details("bucket", "b1", "endpoint", "h/x"))
                .contains("parameter details[].endpoint:"));
        assertTrue(refused(Optional.empty(), Map.of("secretkey", "s", "bucket", "b1", "endpoint", "h"))
                .contains("(parameter details[].accesskey)"));
    }

    @Test
    void addImageStoreS3sParametersMakeTheSameStoreAndItsErrorsNameThem() {
        StoreUrl legacy = StoreUrl.s3(s3Details("bucket", "backups", "endpoint", "127.0.0.1:7480", "usehttps", "true"));
        StoreUrl current = StoreUrl.of("S3", Optional.empty(), s3Details("bucket", "backups", "endpoint",
                "127.0.0.1:7480", "usehttps", "true"));
        assertEquals(current.url(), legacy.url());
        assertEquals(current.credentials(), legacy.credentials());
        assertNull(legacy.parameter(), "a store its hosts cannot use names no one parameter");
        for (String[] bad : new String[][] {{"bucket", "B_1", "parameter bucket:"},
                {"endpoint", "h/x", "parameter endpoint:"}, {"usehttps", "maybe", "parameter usehttps:"}}) {
            Map<String, String> params = s3Details("bucket", "b1", "endpoint", "h");
            params.put(bad[0], bad[1]);
            ApiException e = assertThrows(ApiException.class, () -> StoreUrl.s3(params));
            assertTrue(e.getMessage().startsWith("Invalid value for " + bad[2]), e.getMessage());
        }
    }

    @Test
    void otherProvidersStillNeedTheirUrl() {
        ApiException e = assertThrows(ApiException.class, () -> StoreUrl.of("NFS", Optional.empty(), Map.of()));
        assertTrue(e.getMessage().contains("Missing parameter url"), e.getMessage());
        StoreUrl nfs = StoreUrl.of("nfs", Optional.of("nfs://server/export/"), Map.of());
        assertEquals("nfs://server/export", nfs.url());
        assertNull(nfs.credentials());
        assertTrue(assertThrows(ApiException.class, () -> StoreUrl.of("Swift", Optional.of("x"), Map.of()))
                .getMessage().contains("parameter provider"));
    }

    @Test
    void theStoredColumnHoldsTheSecretKeyOnlyEncrypted() {
        SecretCipher cipher = new SecretCipher("test-encryption-secret");
        StoreUrl store = StoreUrl.of("S3", Optional.empty(), s3Details("bucket", "bk1", "endpoint", "h:1"));
        String column = new StoredStoreUrl(store.url(), store.credentials()).column(cipher);
        assertFalse(column.contains(SECRET), column);
        assertTrue(column.startsWith(store.url() + "#"), column);
        StoredStoreUrl read = StoredStoreUrl.read(column, cipher);
        assertEquals(store.url(), read.url());
        assertEquals(store.credentials(), read.credentials());
        assertEquals(new StoredStoreUrl("file:///b", null), StoredStoreUrl.read("file:///b", cipher));
    }
}
