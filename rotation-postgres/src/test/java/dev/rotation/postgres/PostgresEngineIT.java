package dev.rotation.postgres;

import dev.rotation.shared.PasswordChangeRequest;
import dev.rotation.shared.ConnectRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotation.local.testdb.TestDatabase;
import dev.rotation.local.testdb.TestDatabases;
import dev.rotation.local.testdb.TlsMaterial;
import dev.rotation.shared.ConnectionSettings;
import dev.rotation.shared.DatabaseEngine.LoginFailure;
import dev.rotation.shared.DatabaseEngine.Tls;
import dev.rotation.secret.DatabaseSecret;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@link PostgresEngine} against real servers: a server of its own offering TLS and logging every
 * statement (to prove the plaintext password never reaches it), and the shared plaintext test server
 * for the failure classification.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresEngineIT {
    private final PostgresEngine engine = new PostgresEngine();
    private TlsMaterial tls;
    private TestDatabase server;
    private String dbName;
    private ConnectionSettings verified;

    @BeforeAll
    void startServer() throws SQLException {
        tls = TlsMaterial.generate("127.0.0.1");
        server = TestDatabases.startPostgresWithTls(tls);
        dbName = server.createDatabase("engine_it");
        try (Connection admin = server.admin(); Statement statement = admin.createStatement()) {
            statement.execute("ALTER SYSTEM SET log_statement = 'all'");
            statement.execute("SELECT pg_reload_conf()");
        }
        verified = new ConnectionSettings(Duration.ofSeconds(10), Duration.ofSeconds(20),
                Optional.of(tls.caCertificate()), false);
    }

    @AfterAll
    void stopServer() {
        server.close();
        tls.close();
    }

    private DatabaseSecret secret(TestDatabase db, String database, String user, String password) {
        return DatabaseSecret.builder().engine("postgres").host(db.host()).port(db.port()).username(user)
                .password(password).dbname(database).build();
    }

    private String newUser(TestDatabase db, String database, String password) {
        String user = "eng_" + UUID.randomUUID().toString().substring(0, 8);
        db.createAppUser(database, user, password);
        return user;
    }

    @Test
    void changeOwnPassword_storesAScramVerifier_andThePlaintextNeverReachesTheServer() throws Exception {
        String user = newUser(server, dbName, "Start-pw-1");
        String newPassword = "New-" + UUID.randomUUID() + "-pw";
        try {
            try (Connection connection = engine.connect(new ConnectRequest(secret(server, dbName, user, "Start-pw-1"), Tls.VERIFY, verified))) {
                engine.changeOwnPassword(new PasswordChangeRequest(connection, secret(server, dbName, user, "Start-pw-1"), newPassword));
            }

            assertThat(server.canLogin(dbName, user, newPassword)).isTrue();
            assertThat(server.canLogin(dbName, user, "Start-pw-1")).isFalse();
            try (Connection admin = server.admin();
                    PreparedStatement query = admin.prepareStatement("SELECT rolpassword FROM pg_authid WHERE rolname = ?")) {
                query.setString(1, user);
                try (ResultSet rows = query.executeQuery()) {
                    assertThat(rows.next()).isTrue();
                    assertThat(rows.getString(1)).startsWith("SCRAM-SHA-256$");
                }
            }
            Path log = server.serverLog().orElseThrow(() -> new AssertionError(
                    "the throwaway PostgreSQL server has no log file; install PostgreSQL locally"));
            String logged = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(logged).as("the server logs statements").contains("ALTER USER").contains("SCRAM-SHA-256$");
            assertThat(logged.contains(newPassword)).as("the server log holds the new password (not shown)").isFalse();
        } finally {
            server.dropUser(user);
        }
    }

    @Test
    void changeOwnPassword_whenTheRoleSwitchesRoleAtLogin_changesTheLoginRolesPassword() throws SQLException {
        String user = newUser(server, dbName, "Start-pw-2");
        String group = "grp_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection admin = server.admin(); Statement statement = admin.createStatement()) {
            statement.execute("CREATE ROLE \"" + group + "\" NOLOGIN");
            statement.execute("GRANT \"" + group + "\" TO \"" + user + "\"");
            statement.execute("ALTER ROLE \"" + user + "\" SET role = '" + group + "'");
        }
        try {
            try (Connection connection = engine.connect(new ConnectRequest(secret(server, dbName, user, "Start-pw-2"), Tls.VERIFY, verified))) {
                try (Statement statement = connection.createStatement();
                        ResultSet rows = statement.executeQuery("SELECT current_user")) {
                    assertThat(rows.next()).isTrue();
                    assertThat(rows.getString(1)).as("the role setting took effect").isEqualTo(group);
                }
                engine.changeOwnPassword(new PasswordChangeRequest(connection, secret(server, dbName, user, "Start-pw-2"), "Changed-pw-2"));
            }
            assertThat(server.canLogin(dbName, user, "Changed-pw-2")).isTrue();
        } finally {
            server.dropUser(user);
            try (Connection admin = server.admin(); Statement statement = admin.createStatement()) {
                statement.execute("DROP ROLE IF EXISTS \"" + group + "\"");
            }
        }
    }

    @Test
    void connect_withVerify_encryptsTheSession() throws SQLException {
        String user = newUser(server, dbName, "Start-pw-3");
        try (Connection connection = engine.connect(new ConnectRequest(secret(server, dbName, user, "Start-pw-3"), Tls.VERIFY, verified))) {
            assertThat(server.sessionUsesTls(connection)).isTrue();
        } finally {
            server.dropUser(user);
        }
    }

    @Test
    void connect_withoutDbname_usesThePostgresDatabase() throws SQLException {
        String user = newUser(server, dbName, "Start-pw-4");
        DatabaseSecret noDbname = DatabaseSecret.builder().engine("postgres").host(server.host()).port(server.port())
                .username(user).password("Start-pw-4").build();
        try (Connection connection = engine.connect(new ConnectRequest(noDbname, Tls.VERIFY, verified));
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT current_database()")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("postgres");
        } finally {
            server.dropUser(user);
        }
    }

    @Test
    void classify_realFailures() throws IOException {
        TestDatabase plain = TestDatabases.postgres();
        String plainDb = plain.createDatabase("engine_it");
        String user = newUser(plain, plainDb, "Right-pw-5");
        ConnectionSettings settings = new ConnectionSettings(Duration.ofSeconds(5), Duration.ofSeconds(5),
                Optional.empty(), true);
        try {
            assertThat(failureOf(secret(plain, plainDb, user, "Wrong-pw-5"), Tls.DISABLED, settings))
                    .isEqualTo(LoginFailure.AUTHENTICATION);
            assertThat(failureOf(secret(plain, plainDb, "no_such_role_" + user, "Wrong-pw-5"), Tls.DISABLED, settings))
                    .isEqualTo(LoginFailure.AUTHENTICATION);
            assertThat(failureOf(secret(plain, plainDb, user, "Right-pw-5"), Tls.VERIFY, settings))
                    .isEqualTo(LoginFailure.TLS_UNAVAILABLE);
            int closedPort;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                closedPort = socket.getLocalPort();
            }
            DatabaseSecret nowhere = DatabaseSecret.builder().engine("postgres").host("127.0.0.1").port(closedPort)
                    .username(user).password("Right-pw-5").build();
            assertThat(failureOf(nowhere, Tls.DISABLED, settings)).isEqualTo(LoginFailure.OTHER);
        } finally {
            plain.dropUser(user);
        }
    }

    private LoginFailure failureOf(DatabaseSecret secret, Tls mode, ConnectionSettings settings) {
        SQLException[] failure = new SQLException[1];
        assertThatThrownBy(() -> {
            try (Connection ignored = engine.connect(new ConnectRequest(secret, mode, settings))) {
                // Must not get here.
            } catch (SQLException e) {
                failure[0] = e;
                throw e;
            }
        }).isInstanceOf(SQLException.class);
        return engine.classify(failure[0]);
    }
}
