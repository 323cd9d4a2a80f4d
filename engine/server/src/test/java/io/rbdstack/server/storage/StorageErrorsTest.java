package io.rbdstack.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rbdstack.server.api.ApiErrorCode;
import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.db.DataAccessException;
import io.rbdstack.spi.storage.StorageException;
import org.junit.jupiter.api.Test;

class StorageErrorsTest {

    @Test
    void aDatabaseFailureSaysOnlyWhatDidNotHappen() {
        ApiException e = StorageErrors.failed("Volume v was not created", new DataAccessException(
                "SQL failed (1054 Unknown column 'x' in 'field list'): UPDATE volumes SET x = ?", null));
        assertEquals(ApiErrorCode.INTERNAL_ERROR, e.errorCode());
        assertEquals("Volume v was not created", e.getMessage());
    }

    @Test
    void aStoragesOwnFailureIsQuotedWithItsCode() {
        ApiException failed = StorageErrors.failed("Volume v was not created", new StorageException(
                StorageException.Kind.FAILED, "Could not create RBD image v in pool p: EPERM"));
        assertEquals(ApiErrorCode.INTERNAL_ERROR, failed.errorCode());
        assertEquals("Volume v was not created: Could not create RBD image v in pool p: EPERM", failed.getMessage());
        ApiException unavailable = StorageErrors.failed("Volume v was not resized",
                ApiException.unavailable("No host is Up in zone z"));
        assertEquals(ApiErrorCode.RESOURCE_UNAVAILABLE_ERROR, unavailable.errorCode());
        assertEquals("Volume v was not resized: No host is Up in zone z", unavailable.getMessage());
    }
}
