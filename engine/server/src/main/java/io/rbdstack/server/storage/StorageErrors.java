package io.rbdstack.server.storage;

import io.rbdstack.server.api.ApiErrorCode;
import io.rbdstack.server.api.ApiException;
import io.rbdstack.spi.storage.StorageException;

/** A provider's {@link StorageException} as the CloudStack error the API answers with. */
public final class StorageErrors {

    private StorageErrors() {
    }

    public static ApiException toApi(StorageException e) {
        return switch (e.kind()) {
            case INVALID -> new ApiException(ApiErrorCode.PARAM_ERROR, ApiException.CS_INVALID_PARAMETER, e.getMessage(), e);
            case UNAVAILABLE -> new ApiException(ApiErrorCode.RESOURCE_UNAVAILABLE_ERROR,
                    ApiException.CS_RESOURCE_UNAVAILABLE, e.getMessage(), e);
            case IN_USE -> new ApiException(ApiErrorCode.RESOURCE_IN_USE_ERROR, ApiException.CS_RESOURCE_IN_USE,
                    e.getMessage(), e);
            case FAILED -> new ApiException(ApiErrorCode.INTERNAL_ERROR, ApiException.CS_CLOUD_RUNTIME, e.getMessage(), e);
        };
    }

    /**
     * A failed storage operation as the job's error: what did not happen, with the storage's failure
     * and its code. Any other exception (the database's, a bug) is an internal fault whose message
     * stays in the log: the text is then only what did not happen.
     */
    public static ApiException failed(String what, Exception e) {
        if (e instanceof StorageException || e instanceof ApiException) {
            ApiException cause = e instanceof StorageException storage ? toApi(storage) : (ApiException) e;
            return new ApiException(cause.errorCode(), cause.csErrorCode(), what + ": " + cause.getMessage(), e);
        }
        return ApiException.internal(what, e);
    }
}
