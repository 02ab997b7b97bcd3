package dev.rotation.postgres;

import dev.rotation.shared.AdminRequest;
import dev.rotation.shared.ConnectRequest;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rotation.local.testdb.TestDatabase;
import dev.rotation.local.testdb.TestDatabases;
import dev.rotation.shared.ConnectionSettings;
import dev.rotation.shared.DatabaseEngine;
import dev.rotation.secret.DatabaseSecret;
import dev.rotation.secret.SslMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@link PostgresUserAdmin} on the real PostgreSQL test server, logged in through
 * {@link PostgresEngine} as a CREATEROLE master that is no superuser: the clone acts as the base
 * role, the design is repaired when someone breaks it, works from either side of the pair, and
 * passwords reach the server only as SCRAM verifiers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresUserAdminIT {
    private final TestDatabase db = TestDatabases.postgres();
    private final PostgresEngine admin = new PostgresEngine();
    private final List<String> users = new ArrayList<>();
    private final List<String> log = new ArrayList<>();
    private String dbName;
    private Connection session;
    private String base;
    private String clone;

    @BeforeAll
    void createDatabase() {
        dbName = db.createDatabase("useradmin");
    }

    @BeforeEach
    void appUserAndMaster() throws SQLException {
        base = unique("app");
        clone = base + "_clone";
        String master = unique("master");
        String masterPassword = "Master-" + unique("pw") + "-9x";
        users.addAll(List.of(clone, base, master));
        db.createAppUser(dbName, base, "Base-Passw0rd-1");
        db.createMaster(dbName, master, masterPassword, base);
        DatabaseSecret secret = DatabaseSecret.builder().engine("postgres").host(db.host()).port(db.port())
                .username(master).password(masterPassword).dbname(dbName).ssl(SslMode.DISABLED).build();
        session = new PostgresEngine().connect(new ConnectRequest(secret, DatabaseEngine.Tls.DISABLED, ConnectionSettings.defaults()));
    }

    @AfterEach
    void cleanUp() throws SQLException {
        session.close();
        for (String user : users) {
            db.dropUser(user);
        }
        users.clear();
    }

    private static String unique(String prefix) {
        byte[] bytes = new byte[4];
        ThreadLocalRandom.current().nextBytes(bytes);
        return prefix + "_" + HexFormat.of().formatHex(bytes);
    }

    private void prepareClone(String password) throws SQLException {
        log.addAll(admin.ensureUser(new AdminRequest(session, base, clone, "master")).changes());
        log.addAll(admin.synchronizePrivileges(new AdminRequest(session, base, clone, "master")).changes());
        admin.setPassword(new AdminRequest(session, clone, clone, "master"), password);
    }

    private List<String> asAdmin(String sql, String... parameters) {
        List<String> values = new ArrayList<>();
        try (Connection c = db.connect(dbName, db.adminUsername(), db.adminPassword());
                PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setString(i + 1, parameters[i]);
            }
            if (s.execute()) {
                try (ResultSet rows = s.getResultSet()) {
                    while (rows.next()) {
                        values.add(rows.getString(1));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("admin statement failed: " + e.getMessage(), e);
        }
        return values;
    }

    private boolean cloneIsMemberOfBase() {
        return !asAdmin("SELECT 1 FROM pg_auth_members WHERE roleid = (SELECT oid FROM pg_roles WHERE rolname = ?)"
                + " AND member = (SELECT oid FROM pg_roles WHERE rolname = ?)", base, clone).isEmpty();
    }

    private List<String> cloneSettings() {
        return asAdmin("SELECT unnest(setconfig) FROM pg_db_role_setting WHERE setdatabase = 0"
                + " AND setrole = (SELECT oid FROM pg_roles WHERE rolname = ?)", clone);
    }

    @Test
    void literal_readsBackAsTheValue_withStandardConformingStringsOnAndOff() throws SQLException {
        String value = "q\\'; SELECT 1; --\\\\'";
        for (String setting : List.of("on", "off")) {
            try (Statement s = session.createStatement()) {
                s.execute("SET standard_conforming_strings = " + setting);
                try (ResultSet rows = s.executeQuery("SELECT " + PostgresEngine.literal(session, value))) {
                    rows.next();
                    assertThat(rows.getString(1)).as("with standard_conforming_strings=%s", setting).isEqualTo(value);
                }
            }
        }
    }

    @Test
    void synchronizePrivileges_makesTheCloneActAsTheBaseRole() throws SQLException {
        prepareClone("Clone-Passw0rd-1");

        assertThat(cloneIsMemberOfBase()).isTrue();
        assertThat(cloneSettings()).containsExactly("role=" + base);
        try (Connection c = db.connect(dbName, clone, "Clone-Passw0rd-1"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE made_by_clone (id int)");
            try (ResultSet rows = s.executeQuery("SELECT session_user, current_user,"
                    + " (SELECT tableowner FROM pg_tables WHERE tablename = 'made_by_clone')")) {
                rows.next();
                assertThat(rows.getString(1)).isEqualTo(clone);
                assertThat(rows.getString(2)).isEqualTo(base);
                assertThat(rows.getString(3)).isEqualTo(base);
            }
            s.execute("DROP TABLE made_by_clone");
        }
    }

    @Test
    void synchronizePrivileges_whenMembershipAndSettingWereRemoved_repairsThem() throws SQLException {
        prepareClone("Clone-Passw0rd-1");
        asAdmin("REVOKE " + PostgresEngine.quote(base) + " FROM " + PostgresEngine.quote(clone));
        asAdmin("ALTER ROLE " + PostgresEngine.quote(clone) + " RESET role");
        asAdmin("ALTER ROLE " + PostgresEngine.quote(clone) + " NOINHERIT");
        assertThat(cloneIsMemberOfBase()).isFalse();
        log.clear();

        log.addAll(admin.synchronizePrivileges(new AdminRequest(session, clone, base, "master")).changes());

        assertThat(cloneIsMemberOfBase()).isTrue();
        assertThat(cloneSettings()).containsExactly("role=" + base);
        assertThat(asAdmin("SELECT rolinherit::text FROM pg_roles WHERE rolname = ?", clone)).containsExactly("true");
        assertThat(log).hasSize(3);
    }

    @Test
    void synchronizePrivileges_whenAlreadyInPlace_changesNothing() throws SQLException {
        prepareClone("Clone-Passw0rd-1");
        log.clear();

        log.addAll(admin.synchronizePrivileges(new AdminRequest(session, clone, base, "master")).changes());
        log.addAll(admin.synchronizePrivileges(new AdminRequest(session, base, clone, "master")).changes());

        assertThat(log).isEmpty();
    }

    @Test
    void ensureUser_createsALoginWithoutPasswordThatCannotLogIn() throws SQLException {
        assertThat(admin.ensureUser(new AdminRequest(session, base, clone, "master")).changed()).isTrue();
        assertThat(admin.ensureUser(new AdminRequest(session, base, clone, "master")).changed()).isFalse();

        assertThat(asAdmin("SELECT rolcanlogin::text FROM pg_roles WHERE rolname = ?", clone)).containsExactly("true");
        assertThat(asAdmin("SELECT (rolpassword IS NULL)::text FROM pg_authid WHERE rolname = ?", clone))
                .containsExactly("true");
        assertThat(db.canLogin(dbName, clone, "Base-Passw0rd-1")).isFalse();
    }

    @Test
    void setPassword_sendsOnlyAScramVerifier_andOddCharactersSurvive() throws SQLException {
        String password = "it's \"quoted\" \\ back\\\\slash $$ :colon";
        prepareClone(password);

        assertThat(db.canLogin(dbName, clone, password)).isTrue();
        assertThat(asAdmin("SELECT rolpassword FROM pg_authid WHERE rolname = ?", clone))
                .singleElement().asString().startsWith("SCRAM-SHA-256$").doesNotContain("quoted");
    }
}
