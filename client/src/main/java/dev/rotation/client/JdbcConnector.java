package dev.rotation.client;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Opens one JDBC connection. The default is {@link #driverManager()}; an application may pass its own,
 * e.g. to use a specific {@link java.sql.Driver} instance, and tests pass fakes.
 */
@FunctionalInterface
public interface JdbcConnector {

    /**
     * Opens a connection to {@code url} (which never carries credentials) with {@code properties}
     * (which carry {@code user} and {@code password}).
     */
    Connection connect(String url, Properties properties) throws SQLException;

    /** {@link DriverManager#getConnection(String, Properties)}: the driver must be on the class path. */
    static JdbcConnector driverManager() {
        return DriverManager::getConnection;
    }
}
