package io.rbdstack.server.imagestore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rbdstack.server.auth.crypto.SecretCipher;
import io.rbdstack.server.auth.crypto.SecretDecryptionException;
import io.rbdstack.spi.Secret;
import io.rbdstack.spi.storage.StoreCredentials;
import org.junit.jupiter.api.Test;

class StoredStoreUrlTest {

    private static final SecretCipher OLD = new SecretCipher("the-old-encrypt-secret-0123");
    private static final SecretCipher NEW = new SecretCipher("the-new-encrypt-secret-4567");
    private static final String URL = "http://rgw.example:7480/backups";

    @Test
    void keysWithColonsAndSlashesReadBackAsStoredAndTheSecretIsNotInTheColumn() {
        String column = new StoredStoreUrl(URL, new StoreCredentials("ACCESS:KEY/+", Secret.of("se:cret/+=")))
                .column(OLD);
        assertTrue(!column.contains("se:cret"), column);
        StoredStoreUrl read = StoredStoreUrl.read(column, OLD);
        assertEquals(URL, read.url());
        assertEquals("ACCESS:KEY/+", read.credentials().accessKey());
        assertEquals("se:cret/+=", read.credentials().secretKey().reveal());
    }

    @Test
    void resealingReplacesTheSecretKeyAloneUnderTheNewCipher() {
        String column = new StoredStoreUrl(URL, new StoreCredentials("ACCESS:KEY", Secret.of("se:cret"))).column(OLD);
        String resealed = StoredStoreUrl.resealSecretKey(column, sealed -> NEW.encrypt(OLD.decrypt(sealed)));
        StoredStoreUrl read = StoredStoreUrl.read(resealed, NEW);
        assertEquals(URL, read.url());
        assertEquals("ACCESS:KEY", read.credentials().accessKey());
        assertEquals("se:cret", read.credentials().secretKey().reveal());
        assertThrows(SecretDecryptionException.class, () -> StoredStoreUrl.read(resealed, OLD));
    }

    @Test
    void aUrlWithoutKeysIsLeftAsItIs() {
        String column = new StoredStoreUrl("nfs://nfs.example/export", null).column(OLD);
        assertEquals("nfs://nfs.example/export", StoredStoreUrl.resealSecretKey(column, sealed -> {
            throw new AssertionError("nothing to reseal");
        }));
        assertNull(StoredStoreUrl.read(column, OLD).credentials());
    }
}
