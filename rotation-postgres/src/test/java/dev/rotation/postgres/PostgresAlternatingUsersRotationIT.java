package dev.rotation.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotation.local.testdb.TestDatabase;
import dev.rotation.secret.DatabaseSecret;
import dev.rotation.testkit.contract.alternating.AlternatingUsersRotationContract;
import dev.rotation.testkit.contract.alternating.AlternatingUsersTarget;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * The alternating-users contract on the PostgreSQL test server, and the design's repair: a clone
 * that lost its membership in the base role, or its {@code role} setting, gets them back at the
 * next rotation, before its new password works.
 */
class PostgresAlternatingUsersRotationIT extends AlternatingUsersRotationContract {
    private final PostgresAlternatingUsersTarget target = new PostgresAlternatingUsersTarget();

    @Override
    protected AlternatingUsersTarget target() {
        return target;
    }

    @Test
    void rotation_whenTheClonesMembershipAndSettingWereRemoved_repairsThem() throws SQLException {
        TestDatabase db = target.database();
        String arn = newApplicationSecret("repair");
        rotate(arn);
        rotate(arn);
        String base = currentSecret(arn).username();
        String clone = base + "_clone";
        PostgresAlternatingUsersTarget.adminIn(db, databaseName(),
                "REVOKE " + PostgresEngine.quote(base) + " FROM " + PostgresEngine.quote(clone),
                "ALTER ROLE " + PostgresEngine.quote(clone) + " RESET role");

        rotate(arn);

        DatabaseSecret now = currentSecret(arn);
        assertThat(now.username()).isEqualTo(clone);
        try (Connection c = db.connect(databaseName(), clone, now.password()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE repaired (id int)");
            try (ResultSet rows = s.executeQuery("SELECT current_user,"
                    + " (SELECT tableowner FROM pg_tables WHERE tablename = 'repaired')")) {
                rows.next();
                assertThat(rows.getString(1)).isEqualTo(base);
                assertThat(rows.getString(2)).isEqualTo(base);
            }
            s.execute("DROP TABLE repaired");
        }
    }
}
