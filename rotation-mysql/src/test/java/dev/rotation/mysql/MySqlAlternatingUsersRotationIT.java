package dev.rotation.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotation.local.testdb.TestDatabase;
import dev.rotation.secret.DatabaseSecret;
import dev.rotation.testkit.RotationWorld;
import dev.rotation.testkit.Strategy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What only MySQL has, carried through real alternating-users rotations (the test kit's contract runs
 * the rest): the same user on several hosts, WITH GRANT OPTION and TLS requirements.
 */
class MySqlAlternatingUsersRotationIT {
    private final MySqlTarget target = new MySqlTarget();
    private RotationWorld world;

    @BeforeEach
    void startWorld() {
        world = RotationWorld.builder(target).strategy(Strategy.ALTERNATING_USERS).build();
    }

    @AfterEach
    void closeWorld() {
        world.close();
    }

    private List<String> showGrants(String user, String host) {
        try (Connection c = target.database().admin()) {
            return MySqlEngine.showGrants(c, user, host);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private String showCreateUser(String user, String host) {
        try (Connection c = target.database().admin(); Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SHOW CREATE USER " + MySqlEngine.account(user, host))) {
            rows.next();
            return rows.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private List<String> hosts(String user) {
        try (Connection c = target.database().admin()) {
            return new ArrayList<>(MySqlEngine.hosts(c, user));
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Test
    void rotation_carriesGrantOptionAndTlsRequirementOnEveryHost_andTakesThemAwayAgain() {
        TestDatabase db = target.database();
        String arn = world.newApplicationSecret("tls");
        String base = world.current(arn).username();
        String grantDb = MySqlTarget.grantDatabase(world.dbName);
        // TCP logins from 127.0.0.1 use the '%' account; the 'localhost' one (socket only) may require TLS
        // without stopping this test's plaintext rotations.
        try (Connection c = db.admin();
                PreparedStatement create = c.prepareStatement("CREATE USER " + MySqlEngine.account(base, "localhost")
                        + " IDENTIFIED BY ? REQUIRE SSL")) {
            create.setString(1, "Socket-Passw0rd-1");
            create.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        MySqlTarget.admin(db,
                "GRANT SELECT ON " + grantDb + ".* TO " + MySqlEngine.account(base, "localhost"),
                "GRANT SELECT ON " + grantDb + ".* TO " + MySqlEngine.account(base, "%") + " WITH GRANT OPTION");

        world.rotateSuccessfully(arn);

        DatabaseSecret clone = world.current(arn);
        assertThat(clone.username()).isEqualTo(base + "_clone");
        assertThat(hosts(clone.username())).containsExactlyInAnyOrder("%", "localhost");
        assertThat(showCreateUser(clone.username(), "localhost")).contains("REQUIRE SSL");
        assertThat(showCreateUser(clone.username(), "%")).doesNotContain("REQUIRE SSL");
        assertThat(showGrants(clone.username(), "%")).anyMatch(line -> line.contains("WITH GRANT OPTION"));

        MySqlTarget.admin(db,
                "REVOKE GRANT OPTION ON " + grantDb + ".* FROM " + MySqlEngine.account(clone.username(), "%"),
                "ALTER USER " + MySqlEngine.account(clone.username(), "localhost") + " REQUIRE NONE");
        world.rotateSuccessfully(arn);

        assertThat(world.current(arn).username()).isEqualTo(base);
        assertThat(showGrants(base, "%")).noneMatch(line -> line.contains("WITH GRANT OPTION"));
        assertThat(showCreateUser(base, "localhost")).doesNotContain("REQUIRE SSL");
    }
}
