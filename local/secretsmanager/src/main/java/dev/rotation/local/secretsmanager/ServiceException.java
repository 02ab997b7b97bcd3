package dev.rotation.local.secretsmanager;

/**
 * An error as the service reports it: an exception name ({@code __type}) and a message.
 * Messages never carry a secret value; callers build them from names, ids and limits only.
 */
final class ServiceException extends RuntimeException {
    private final String type;
    private final int status;

    private ServiceException(String type, int status, String message) {
        super(message, null, false, false);
        this.type = type;
        this.status = status;
    }

    String type() {
        return type;
    }

    int status() {
        return status;
    }

    static ServiceException of(String type, String message) {
        return new ServiceException(type, 400, message);
    }

    /** An error the HTTP layer answers before the request reaches an operation. */
    static ServiceException of(String type, int status, String message) {
        return new ServiceException(type, status, message);
    }

    static ServiceException invalidParameter(String message) {
        return of("InvalidParameterException", message);
    }

    static ServiceException invalidRequest(String message) {
        return of("InvalidRequestException", message);
    }

    static ServiceException notFound(String message) {
        return of("ResourceNotFoundException", message);
    }

    static ServiceException exists(String message) {
        return of("ResourceExistsException", message);
    }

    static ServiceException limitExceeded(String message) {
        return of("LimitExceededException", message);
    }

    static ServiceException serialization(String message) {
        return of("SerializationException", message);
    }

    static ServiceException internal(String message) {
        return new ServiceException("InternalServiceError", 500, message);
    }
}
