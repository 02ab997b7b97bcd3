package dev.rotation.local.testdb;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** JDBC URLs and connections for a {@link DatabaseServer}. Credentials always travel as properties, never in URLs. */
final class Jdbc {
    private Jdbc() {
    }

    static String url(DatabaseServer server, String database) {
        String host = server.host().contains(":") ? "[" + server.host() + "]" : server.host();
        return server.kind().jdbcPrefix + host + ":" + server.port() + "/" + (database == null ? "" : database)
                + server.urlQuery();
    }

    static Connection open(DatabaseServer server, String database, String user, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        if (server.kind() == Kind.MYSQL) {
            props.setProperty("connectTimeout", "5000");
            props.setProperty("characterEncoding", "UTF-8");
            // MySQL 8's caching_sha2_password over a plaintext connection needs the server's RSA key.
            props.setProperty("allowPublicKeyRetrieval", "true");
        } else {
            props.setProperty("connectTimeout", "5");
            props.setProperty("loginTimeout", "10");
        }
        return DriverManager.getConnection(url(server, database), props);
    }

    static Connection openAdmin(DatabaseServer server, String database) throws SQLException {
        return open(server, database == null ? server.adminDatabase() : database, server.adminUser(),
                server.adminPassword());
    }
}
