package io.rbdstack.server.api;

/**
 * A failed API call as CloudStack reports it: {@code errorcode} (also the HTTP status),
 * {@code cserrorcode} (CloudStack's code for the exception kind) and {@code errortext}.
 */
public final class ApiException extends RuntimeException {

    /** CloudStack's CSExceptionErrorCode values for the kinds rbdstack raises. */
    public static final int CS_CLOUD_RUNTIME = 4250;
    public static final int CS_INSUFFICIENT_CAPACITY = 4325;
    public static final int CS_INVALID_PARAMETER = 4350;
    public static final int CS_PERMISSION_DENIED = 4365;
    public static final int CS_RESOURCE_ALLOCATION = 4370;
    public static final int CS_RESOURCE_IN_USE = 4375;
    public static final int CS_RESOURCE_UNAVAILABLE = 4380;
    public static final int CS_SERVER_API = 9999;

    private final ApiErrorCode errorCode;
    private final int csErrorCode;

    public ApiException(ApiErrorCode errorCode, int csErrorCode, String message) {
        super(message);
        this.errorCode = errorCode;
        this.csErrorCode = csErrorCode;
    }

    public ApiException(ApiErrorCode errorCode, int csErrorCode, String message, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
        this.csErrorCode = csErrorCode;
    }

    public static ApiException invalidParameter(String message) {
        return new ApiException(ApiErrorCode.PARAM_ERROR, CS_INVALID_PARAMETER, message);
    }

    /** 430: the request's parameters cannot be decoded at all (CloudStack's "Unable to decode parameter"). */
    public static ApiException malformed(String message) {
        return new ApiException(ApiErrorCode.MALFORMED_PARAMETER_ERROR, CS_SERVER_API, message);
    }

    /**
     * CloudStack's answer to an id that names no row, word for word: clients (the Go SDK behind
     * Terraform's provider) match "entity does not exist" to mean "not found".
     */
    public static ApiException noSuchEntity(String command, String param, String value) {
        return new ApiException(ApiErrorCode.PARAM_ERROR, CS_SERVER_API, "Unable to execute API command "
                + command.toLowerCase(java.util.Locale.ROOT) + " due to invalid value. Invalid parameter " + param
                + " value=" + value + " due to incorrect long value format, or entity does not exist or due to"
                + " incorrect parameter annotation for the field in api cmd class.");
    }

    public static ApiException permissionDenied(String message) {
        return new ApiException(ApiErrorCode.ACCOUNT_ERROR, CS_PERMISSION_DENIED, message);
    }

    public static ApiException inUse(String message) {
        return new ApiException(ApiErrorCode.RESOURCE_IN_USE_ERROR, CS_RESOURCE_IN_USE, message);
    }

    public static ApiException insufficientCapacity(String message) {
        return new ApiException(ApiErrorCode.INSUFFICIENT_CAPACITY_ERROR, CS_INSUFFICIENT_CAPACITY, message);
    }

    public static ApiException unavailable(String message) {
        return new ApiException(ApiErrorCode.RESOURCE_UNAVAILABLE_ERROR, CS_RESOURCE_UNAVAILABLE, message);
    }

    public static ApiException internal(String message, Throwable cause) {
        return new ApiException(ApiErrorCode.INTERNAL_ERROR, CS_CLOUD_RUNTIME, message, cause);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(ApiErrorCode.UNAUTHORIZED, 0, message);
    }

    public ApiErrorCode errorCode() {
        return errorCode;
    }

    /** 0 when CloudStack sends none (401s). */
    public int csErrorCode() {
        return csErrorCode;
    }
}
