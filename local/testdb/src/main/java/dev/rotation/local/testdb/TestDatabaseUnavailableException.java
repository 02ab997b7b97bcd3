package dev.rotation.local.testdb;

/**
 * No database server of the requested kind could be provided: no environment variables, no Docker
 * engine, no usable local binaries, or a server that failed to start. The message says what to install
 * or set. Tests must let this fail the build; they never skip.
 */
public final class TestDatabaseUnavailableException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    TestDatabaseUnavailableException(String message) {
        super(message);
    }

    TestDatabaseUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
