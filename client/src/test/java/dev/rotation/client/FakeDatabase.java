package dev.rotation.client;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A database that accepts one password at a time, refusing others the way MySQL does
 * (error 1045, SQLState 28000, a message without the password).
 */
final class FakeDatabase implements JdbcConnector {
    volatile String password;
    volatile boolean down;
    final List<String> urls = new CopyOnWriteArrayList<>();
    final List<String> triedPasswords = new CopyOnWriteArrayList<>();
    volatile Properties lastProperties;

    FakeDatabase(String password) {
        this.password = password;
    }

    @Override
    public Connection connect(String url, Properties properties) throws SQLException {
        urls.add(url);
        lastProperties = properties;
        if (down) {
            throw new SQLNonTransientConnectionException("Communications link failure", "08S01");
        }
        String tried = properties.getProperty("password");
        triedPasswords.add(tried);
        if (!tried.equals(password)) {
            throw new SQLException("Access denied for user '" + properties.getProperty("user")
                    + "'@'localhost' (using password: YES)", "28000", 1045);
        }
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> method.getName().equals("isValid") ? Boolean.TRUE : null);
    }
}
