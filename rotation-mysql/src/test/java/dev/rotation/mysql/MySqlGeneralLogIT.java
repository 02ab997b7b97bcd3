package dev.rotation.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotation.testkit.Strategy;
import dev.rotation.testkit.RotationWorld;
import dev.rotation.local.secretsmanager.RotationOutcome;
import dev.rotation.local.testdb.TestDatabase;
import dev.rotation.local.testdb.TestDatabases;
import dev.rotation.secret.DatabaseSecret;

import dev.rotation.testkit.TestJson;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * MariaDB writes statements to its general query log as the client sent them, and it does not take
 * passwords out (MySQL does). Client-side prepared statements put a bound password into the
 * statement text, so on a {@code mysql_native_password} account the function sends the hash it
 * computed itself instead. A server of its own with the general log on, in a table: after a
 * single-user and an alternating-users rotation, no statement of the function's sessions holds a
 * password, escaped or not, and none sets one in clear ({@code IDENTIFIED BY '...'},
 * {@code PASSWORD('...')}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MySqlGeneralLogIT {
    /** A password given in clear: IDENTIFIED BY '...' (not BY PASSWORD) or PASSWORD('...'). */
    private static final Pattern CLEAR_PASSWORD = Pattern.compile("(?i)IDENTIFIED\\s+BY\\s+'|PASSWORD\\s*\\(");

    private TestDatabase db;
    private String dbName;
    private final List<String> passwords = new ArrayList<>();

    @BeforeAll
    void startServer() {
        db = TestDatabases.startMysql();
        dbName = db.createDatabase("genlog");
        MySqlTarget.admin(db, "SET GLOBAL log_output = 'TABLE'", "SET GLOBAL general_log = ON");
    }

    @AfterAll
    void stopServer() {
        db.close();
    }

    /** What the server logged from sessions other than the test's administrator. */
    private List<String> loggedByTheFunction() {
        List<String> statements = new ArrayList<>();
        try (Connection c = db.admin(); Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT user_host, argument FROM mysql.general_log")) {
            while (rows.next()) {
                if (!rows.getString(1).startsWith(db.adminUsername() + "[")) {
                    statements.add(new String(rows.getBytes(2), StandardCharsets.UTF_8));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the general log: " + e.getMessage(), e);
        }
        return statements;
    }

    /** Checks every logged statement; the findings name the statement's kind and the password's number, never either. */
    private void assertNoPasswordLogged() {
        List<String> statements = loggedByTheFunction();
        assertThat(statements).as("the function's statements were logged").isNotEmpty();
        List<String> findings = new ArrayList<>();
        for (String statement : statements) {
            String kind = "a statement starting with '" + MySqlGrants.leadingKeywords(statement) + "'";
            if (CLEAR_PASSWORD.matcher(statement).find()) {
                findings.add(kind + " sets a password in clear");
            }
            for (int p = 0; p < passwords.size(); p++) {
                String password = passwords.get(p);
                for (String form : List.of(password, password.replace("\\", "\\\\").replace("'", "\\'"),
                        password.replace("'", "''"))) {
                    if (statement.contains(form)) {
                        findings.add(kind + " holds password #" + p);
                        break;
                    }
                }
            }
        }
        assertThat(findings).as("what the general log kept").isEmpty();
    }

    private DatabaseSecret rotateSuccessfully(RotationWorld world, String arn) {
        RotationOutcome outcome = world.rotate(arn);
        assertThat(outcome.status()).as("reason: %s", outcome.reason()).isEqualTo(RotationOutcome.SUCCEEDED);
        DatabaseSecret now = world.current(arn);
        passwords.add(now.password());
        assertThat(db.canLogin(dbName, now.username(), now.password())).as("the new password logs in").isTrue();
        return now;
    }

    private TestJson secret(String user, String password) {
        return TestJson.object().put("engine", db.engine()).put("ssl", false).put("host", db.host()).put("port", db.port())
                .put("username", user).put("password", password).put("dbname", dbName);
    }

    @Test
    void rotations_neverSendAPasswordTheGeneralLogWouldKeep() {
        String singlePassword = RotationWorld.randomPassword();
        String single = RotationWorld.unique("single");
        passwords.add(singlePassword);
        db.createAppUser(dbName, single, singlePassword);
        try (RotationWorld world = RotationWorld.builder(new MySqlTarget()).maxRotationAttempts(1).build()) {
            rotateSuccessfully(world, world.createSecret(secret(single, singlePassword).write()));
        }

        String master = RotationWorld.unique("master");
        String masterPassword = RotationWorld.randomPassword();
        passwords.add(masterPassword);
        db.createMaster(null, master, masterPassword, null);
        String base = RotationWorld.unique("pair");
        String basePassword = RotationWorld.randomPassword();
        passwords.add(basePassword);
        db.createAppUser(dbName, base, basePassword);
        try (RotationWorld world = RotationWorld.builder(new MySqlTarget()).strategy(Strategy.ALTERNATING_USERS).maxRotationAttempts(1).build()) {
            String masterArn = world.createSecret(secret(master, masterPassword).write());
            String arn = world.createSecret(secret(base, basePassword).put("masterarn", masterArn).write());
            assertThat(rotateSuccessfully(world, arn).username()).isEqualTo(base + "_clone");
            assertThat(rotateSuccessfully(world, arn).username()).isEqualTo(base);
        }

        assertNoPasswordLogged();
    }
}
