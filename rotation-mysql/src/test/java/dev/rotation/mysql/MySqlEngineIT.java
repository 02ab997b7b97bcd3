package dev.rotation.mysql;

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
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
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
 * {@link MySqlEngine} against real servers: a server of its own offering TLS and running with
 * {@code NO_BACKSLASH_ESCAPES} as its global sql_mode (the hard case for a bound password), and
 * the shared plaintext test server for the failure classification.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MySqlEngineIT {
    private final MySqlEngine engine = new MySqlEngine();
    private TlsMaterial tls;
    private TestDatabase server;
    private String dbName;
    private ConnectionSettings verified;

    @BeforeAll
    void startServer() throws SQLException {
        tls = TlsMaterial.generate("127.0.0.1");
        server = TestDatabases.startMysqlWithTls(tls);
        dbName = server.createDatabase("engine_it");
        try (Connection admin = server.admin(); Statement statement = admin.createStatement()) {
            statement.execute("SET GLOBAL sql_mode = CONCAT(@@GLOBAL.sql_mode, ',NO_BACKSLASH_ESCAPES')");
        }
        verified = new ConnectionSettings(Duration.ofSeconds(10), Duration.ofSeconds(20),
                Optional.of(tls.caCertificate()), false);
    }

    @AfterAll
    void stopServer() {
        server.close();
        tls.close();
    }

    private DatabaseSecret secret(TestDatabase db, String user, String password) {
        return DatabaseSecret.builder().engine(db.engine()).host(db.host()).port(db.port()).username(user)
                .password(password).dbname(dbName).build();
    }

    private String newUser(TestDatabase db, String database, String password) {
        String user = "eng_" + UUID.randomUUID().toString().substring(0, 8);
        db.createAppUser(database, user, password);
        return user;
    }

    @Test
    void serverVersion_ofTheTestServer_isParsedAsItsFlavor() throws SQLException {
        String user = newUser(server, dbName, "Start-pw-1");
        try (Connection connection = engine.connect(new ConnectRequest(secret(server, user, "Start-pw-1"), Tls.VERIFY, verified))) {
            MySqlServerVersion version = MySqlServerVersion.parse(MySqlEngine.serverVersion(connection)).orElseThrow();
            assertThat(version.flavor()).isEqualTo(server.engine().equals("mariadb")
                    ? MySqlServerVersion.Flavor.MARIADB : MySqlServerVersion.Flavor.MYSQL);
        } finally {
            server.dropUser(user);
        }
    }

    @Test
    void connect_withVerify_encryptsTheSession() throws SQLException {
        String user = newUser(server, dbName, "Start-pw-2");
        try (Connection connection = engine.connect(new ConnectRequest(secret(server, user, "Start-pw-2"), Tls.VERIFY, verified));
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SHOW SESSION STATUS LIKE 'Ssl_cipher'")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(2)).isNotBlank();
        } finally {
            server.dropUser(user);
        }
    }

    @Test
    void changeOwnPassword_underNoBackslashEscapes_takesQuotesAndBackslashesLiterally() throws SQLException {
        String user = newUser(server, dbName, "Start-pw-3");
        String tricky = "a\\'b''c\\\\\"d`e;--%_\\";
        try {
            try (Connection connection = engine.connect(new ConnectRequest(secret(server, user, "Start-pw-3"), Tls.VERIFY, verified))) {
                engine.changeOwnPassword(new PasswordChangeRequest(connection, secret(server, user, "Start-pw-3"), tricky));
            }
            assertThat(server.canLogin(dbName, user, tricky)).isTrue();
            assertThat(server.canLogin(dbName, user, "Start-pw-3")).isFalse();
            try (Connection connection = engine.connect(new ConnectRequest(secret(server, user, tricky), Tls.VERIFY, verified))) {
                engine.changeOwnPassword(new PasswordChangeRequest(connection, secret(server, user, tricky), "Back-to-plain-3"));
            }
            assertThat(server.canLogin(dbName, user, "Back-to-plain-3")).isTrue();
        } finally {
            server.dropUser(user);
        }
    }

    @Test
    void classify_realFailures() throws Exception {
        TestDatabase plain = TestDatabases.mysql();
        String plainDb = plain.createDatabase("engine_it");
        String user = newUser(plain, plainDb, "Right-pw-4");
        ConnectionSettings settings = new ConnectionSettings(Duration.ofSeconds(5), Duration.ofSeconds(5),
                Optional.empty(), true);
        DatabaseSecret wrong = DatabaseSecret.builder().engine(plain.engine()).host(plain.host()).port(plain.port())
                .username(user).password("Wrong-pw-4").build();
        DatabaseSecret right = DatabaseSecret.builder().engine(plain.engine()).host(plain.host()).port(plain.port())
                .username(user).password("Right-pw-4").build();
        try {
            assertThat(failureOf(wrong, Tls.DISABLED, settings)).isEqualTo(LoginFailure.AUTHENTICATION);
            assertThat(failureOf(right, Tls.VERIFY, settings)).isEqualTo(LoginFailure.TLS_UNAVAILABLE);
            int closedPort;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                closedPort = socket.getLocalPort();
            }
            DatabaseSecret nowhere = DatabaseSecret.builder().engine(plain.engine()).host("127.0.0.1").port(closedPort)
                    .username(user).password("Right-pw-4").build();
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
