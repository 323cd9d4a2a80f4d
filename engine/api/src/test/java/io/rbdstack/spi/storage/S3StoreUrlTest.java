package io.rbdstack.spi.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class S3StoreUrlTest {

    @Test
    void cloudStacksDetailsMakeANormalUrlTheAgentParsesBack() {
        S3StoreUrl store = S3StoreUrl.of("127.0.0.1:7480", "backups", null, null);
        assertEquals("s3://127.0.0.1:7480/backups?usehttps=false&region=us-east-1", store.url());
        assertEquals("http://127.0.0.1:7480", store.endpointUri().toString());
        assertEquals(store, S3StoreUrl.parse(store.url()));
        assertTrue(S3StoreUrl.isS3(store.url()));
        assertFalse(S3StoreUrl.isS3("nfs://server/export"));
    }

    @Test
    void usehttpsAndAnEndpointsSchemeSetHttps() {
        assertTrue(S3StoreUrl.of("s3.example.com", "b-1", "true", "eu-west-1").useHttps());
        S3StoreUrl fromScheme = S3StoreUrl.of("https://s3.example.com/", "b-1", null, "eu-west-1");
        assertTrue(fromScheme.useHttps());
        assertEquals("s3.example.com", fromScheme.endpoint());
        assertEquals("https://s3.example.com", fromScheme.endpointUri().toString());
    }

    @Test
    void eachRefusalNamesThePartAtFault() {
        assertEquals("usehttps", assertThrows(ImageStorePathException.class,
                () -> S3StoreUrl.of("https://h", "bkt", "false", null)).part());
        assertEquals("usehttps", assertThrows(ImageStorePathException.class,
                () -> S3StoreUrl.of("h", "bkt", "yes", null)).part());
        assertEquals("bucket", assertThrows(ImageStorePathException.class,
                () -> S3StoreUrl.of("h", "Bad_Bucket", null, null)).part());
        assertEquals("endpoint", assertThrows(ImageStorePathException.class,
                () -> S3StoreUrl.of("h/x", "bkt", null, null)).part());
        assertEquals("endpoint", assertThrows(ImageStorePathException.class,
                () -> S3StoreUrl.of("ftp://h", "bkt", null, null)).part());
        assertEquals("region", assertThrows(ImageStorePathException.class,
                () -> S3StoreUrl.of("h", "bkt", null, "EU West")).part());
    }

    @Test
    void badDetailsAreRefusedSayingWhich() {
        assertTrue(assertThrows(ImageStorePathException.class, () -> S3StoreUrl.of("https://h", "bkt", "false", null))
                .getMessage().contains("usehttps"));
        assertTrue(assertThrows(ImageStorePathException.class, () -> S3StoreUrl.of("h", "Bad_Bucket", null, null))
                .getMessage().contains("bucket"));
        assertTrue(assertThrows(ImageStorePathException.class, () -> S3StoreUrl.of("h/x", "bkt", null, null))
                .getMessage().contains("endpoint"));
        assertTrue(assertThrows(ImageStorePathException.class, () -> S3StoreUrl.of("h", "bkt", "yes", null))
                .getMessage().contains("usehttps"));
        assertTrue(assertThrows(ImageStorePathException.class, () -> S3StoreUrl.of(" ", "bkt", null, null))
                .getMessage().contains("endpoint"));
        assertTrue(assertThrows(ImageStorePathException.class, () -> S3StoreUrl.parse("s3://h/bkt?secret=x"))
                .getMessage().contains("unknown option"));
        assertTrue(assertThrows(ImageStorePathException.class, () -> S3StoreUrl.parse("s3://user@h/bkt"))
                .getMessage().contains("not an S3 store URL"));
    }
}
