package dev.rotation.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotation.local.testdb.TestDatabase;
import dev.rotation.secret.DatabaseSecret;
import dev.rotation.shared.AdminChanges;
import dev.rotation.shared.AdminRequest;
import dev.rotation.shared.ConnectRequest;
import dev.rotation.shared.ConnectionSettings;
import dev.rotation.shared.DatabaseEngine;
import dev.rotation.shared.DatabaseEngine.LoginFailure;
import dev.rotation.shared.DatabaseEngine.Tls;
import dev.rotation.shared.PasswordChange;
import dev.rotation.shared.PasswordChangeRequest;
import dev.rotation.shared.RotationException;
import dev.rotation.shared.UserAdministration;
import dev.rotation.testkit.EngineTarget;
import dev.rotation.testkit.EngineTargets;
import dev.rotation.testkit.RotationWorld;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The engine SPI itself, before any protocol runs on it: what every {@link DatabaseEngine} and
 * {@link UserAdministration} must do, checked directly against the engine's real server (or, for a
 * test engine, its stand-in). A new engine passes this first; the protocol's contracts then run on it.
 * Plaintext sessions ({@code ssl: false}): the shared test servers offer no TLS.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public class EngineSpiIT {
    private final EngineTarget target = EngineTargets.current();
    private final DatabaseEngine engine = target.engine();
    private final UserAdministration admin = target.userAdministration();
    private final ConnectionSettings settings = ConnectionSettings.fromEnvironment(RotationWorld.initialEnvironment());
    private final List<String> users = new ArrayList<>();
    private TestDatabase db;
    private String dbName;

    @BeforeAll
    void createDatabase() {
        db = target.database();
        dbName = db.createDatabase("spi");
    }

    @AfterEach
    void dropUsers() {
        RotationWorld.dropQuietly(db, users);
        users.clear();
    }

    @AfterAll
    void nothingLeft() {
        RotationWorld.dropQuietly(db, users);
    }

    private DatabaseSecret secret(String username, String password) {
        return DatabaseSecret.builder().engine(engine.description().secretValues().get(0)).host(db.host())
                .port(db.port()).username(username).password(password).dbname(dbName)
                .ssl(dev.rotation.secret.SslMode.DISABLED).build();
    }

    private String appUser(String prefix, String password) {
        String name = RotationWorld.unique(prefix);
        users.add(name + "_clone");
        users.add(name);
        db.createAppUser(dbName, name, password);
        return name;
    }

    private Connection connect(String username, String password) throws SQLException {
        return engine.connect(new ConnectRequest(secret(username, password), Tls.DISABLED, settings));
    }

    @Test
    void description_namesItsSecretsAPortAndLoginClassesThatLoad() {
        var description = engine.description();

        assertThat(description.name()).isNotBlank();
        assertThat(description.secretValues()).isNotEmpty().contains(db.engine());
        assertThat(description.defaultPort()).isBetween(1, 65535);
        assertThat(description.loginClasses()).allSatisfy(name -> assertThat(loads(name)).as(name).isTrue());
    }

    private static boolean loads(String className) {
        try {
            Class.forName(className, false, EngineSpiIT.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    @Test
    void connect_withTheRightPassword_logsIn_andAWrongOneIsClassifiedAsAuthentication() throws SQLException {
        String password = RotationWorld.randomPassword();
        String user = appUser("spi", password);

        try (Connection connection = connect(user, password)) {
            assertThat(connection.isClosed()).isFalse();
        }
        SQLException refused = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class,
                () -> connect(user, password + "x").close());
        assertThat(engine.classify(refused)).isEqualTo(LoginFailure.AUTHENTICATION);
    }

    @Test
    void connect_toAPortNothingListensOn_isNeitherAuthenticationNorMissingTls() {
        DatabaseSecret nowhere = DatabaseSecret.builder().engine(engine.description().secretValues().get(0))
                .host("127.0.0.1").port(1).username("nobody").password("Nobody-pw-1").ssl(dev.rotation.secret.SslMode.DISABLED)
                .build();

        SQLException failure = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class,
                () -> engine.connect(new ConnectRequest(nowhere, Tls.DISABLED, settings)).close());
        assertThat(engine.classify(failure)).isEqualTo(LoginFailure.OTHER);
    }

    @Test
    void changeOwnPassword_makesTheNewPasswordLogInAndTheOldOneNot_andSaysHowWithoutIt() throws SQLException {
        String password = RotationWorld.randomPassword();
        String newPassword = RotationWorld.randomPassword();
        String user = appUser("own", password);

        PasswordChange change;
        try (Connection connection = connect(user, password)) {
            change = engine.changeOwnPassword(new PasswordChangeRequest(connection, secret(user, password), newPassword));
        }

        assertThat(change.method()).isNotBlank().doesNotContain(newPassword).doesNotContain(password);
        assertThat(db.canLogin(dbName, user, newPassword)).isTrue();
        assertThat(db.canLogin(dbName, user, password)).isFalse();
    }

    @Test
    void administration_createsTheOtherUserOnce_equalsItsPrivileges_andSetsItsPassword() throws SQLException {
        String password = RotationWorld.randomPassword();
        String user = appUser("adm", password);
        String master = RotationWorld.unique("master");
        String masterPassword = RotationWorld.randomPassword();
        users.add(master);
        db.createMaster(dbName, master, masterPassword, user);
        String other = user + "_clone";
        String otherPassword = RotationWorld.randomPassword();

        try (Connection session = engine.connect(new ConnectRequest(DatabaseSecret.builder()
                .engine(engine.description().secretValues().get(0)).host(db.host()).port(db.port())
                .username(master).password(masterPassword).ssl(dev.rotation.secret.SslMode.DISABLED).build(),
                Tls.DISABLED, settings))) {
            AdminRequest request = new AdminRequest(session, user, other, master);
            assertThat(admin.currentUserExists(request)).isTrue();
            admin.requireManageable(request);

            AdminChanges created = admin.ensureUser(request);
            AdminChanges again = admin.ensureUser(request);
            admin.synchronizePrivileges(request);
            AdminChanges synchronizedAgain = admin.synchronizePrivileges(request);
            assertThat(db.canLogin(dbName, other, otherPassword)).as("logs in before its password is set").isFalse();
            PasswordChange change = admin.setPassword(request, otherPassword);

            assertThat(created.changed()).isTrue();
            assertThat(again.changed()).as("a second ensureUser").isFalse();
            assertThat(synchronizedAgain.changed()).as("a second synchronizePrivileges").isFalse();
            assertThat(change.method()).doesNotContain(otherPassword);
            assertThat(String.join("\n", created.changes())).doesNotContain(otherPassword).doesNotContain(masterPassword);
        }
        assertThat(db.canLogin(dbName, other, otherPassword)).isTrue();
        assertThat(db.canLogin(dbName, user, password)).as("the current user is untouched").isTrue();
    }

    @Test
    void requireManageable_refusesTheMasterAsTheOtherUser() throws SQLException {
        String password = RotationWorld.randomPassword();
        String master = RotationWorld.unique("mst");
        String masterPassword = RotationWorld.randomPassword();
        String user = appUser("mst", password);
        users.add(master);
        db.createMaster(dbName, master, masterPassword, user);

        try (Connection session = engine.connect(new ConnectRequest(DatabaseSecret.builder()
                .engine(engine.description().secretValues().get(0)).host(db.host()).port(db.port())
                .username(master).password(masterPassword).ssl(dev.rotation.secret.SslMode.DISABLED).build(),
                Tls.DISABLED, settings))) {
            assertThatThrownBy(() -> admin.requireManageable(new AdminRequest(session, user, master, master)))
                    .isInstanceOf(RotationException.class).hasMessageContaining("'" + master + "'");
        }
        assertThat(db.canLogin(dbName, master, masterPassword)).isTrue();
    }

    @Test
    void usernameLimit_isPositiveAndWithinTheServersLimit() {
        int limit = admin.usernameLimit(Map.of()).max();

        assertThat(limit).isPositive().isLessThanOrEqualTo(db.maxUsernameLength());
    }
}
