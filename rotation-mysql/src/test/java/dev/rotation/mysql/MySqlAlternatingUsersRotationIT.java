package dev.rotation.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotation.local.testdb.TestDatabase;
import dev.rotation.secret.DatabaseSecret;
import dev.rotation.testkit.contract.alternating.AlternatingUsersRotationContract;
import dev.rotation.testkit.contract.alternating.AlternatingUsersTarget;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The alternating-users contract on the MySQL-compatible test server, and what only MySQL has: the
 * same user on several hosts, WITH GRANT OPTION and TLS requirements, carried through real rotations.
 */
class MySqlAlternatingUsersRotationIT extends AlternatingUsersRotationContract {
    private final MySqlAlternatingUsersTarget target = new MySqlAlternatingUsersTarget();

    @Override
    protected AlternatingUsersTarget target() {
        return target;
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
        String arn = newApplicationSecret("tls");
        String base = currentSecret(arn).username();
        String grantDb = MySqlAlternatingUsersTarget.grantDatabase(databaseName());
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
        MySqlAlternatingUsersTarget.admin(db,
                "GRANT SELECT ON " + grantDb + ".* TO " + MySqlEngine.account(base, "localhost"),
                "GRANT SELECT ON " + grantDb + ".* TO " + MySqlEngine.account(base, "%") + " WITH GRANT OPTION");

        rotate(arn);

        DatabaseSecret clone = currentSecret(arn);
        assertThat(clone.username()).isEqualTo(base + "_clone");
        assertThat(hosts(clone.username())).containsExactlyInAnyOrder("%", "localhost");
        assertThat(showCreateUser(clone.username(), "localhost")).contains("REQUIRE SSL");
        assertThat(showCreateUser(clone.username(), "%")).doesNotContain("REQUIRE SSL");
        assertThat(showGrants(clone.username(), "%")).anyMatch(line -> line.contains("WITH GRANT OPTION"));

        MySqlAlternatingUsersTarget.admin(db,
                "REVOKE GRANT OPTION ON " + grantDb + ".* FROM " + MySqlEngine.account(clone.username(), "%"),
                "ALTER USER " + MySqlEngine.account(clone.username(), "localhost") + " REQUIRE NONE");
        rotate(arn);

        assertThat(currentSecret(arn).username()).isEqualTo(base);
        assertThat(showGrants(base, "%")).noneMatch(line -> line.contains("WITH GRANT OPTION"));
        assertThat(showCreateUser(base, "localhost")).doesNotContain("REQUIRE SSL");
    }
}
