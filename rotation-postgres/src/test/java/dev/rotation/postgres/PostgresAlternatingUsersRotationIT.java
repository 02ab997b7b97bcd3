package dev.rotation.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotation.local.testdb.TestDatabase;
import dev.rotation.secret.DatabaseSecret;
import dev.rotation.testkit.RotationWorld;
import dev.rotation.testkit.Strategy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The design's repair on PostgreSQL (the test kit's contract runs the rest): a clone that lost its
 * membership in the base role, or its {@code role} setting, gets them back at the next rotation,
 * before its new password works.
 */
class PostgresAlternatingUsersRotationIT {
    private final PostgresTarget target = new PostgresTarget();
    private RotationWorld world;

    @BeforeEach
    void startWorld() {
        world = RotationWorld.builder(target).strategy(Strategy.ALTERNATING_USERS).build();
    }

    @AfterEach
    void closeWorld() {
        world.close();
    }

    @Test
    void rotation_whenTheClonesMembershipAndSettingWereRemoved_repairsThem() throws SQLException {
        TestDatabase db = target.database();
        String arn = world.newApplicationSecret("repair");
        world.rotateSuccessfully(arn);
        world.rotateSuccessfully(arn);
        String base = world.current(arn).username();
        String clone = base + "_clone";
        PostgresTarget.adminIn(db, world.dbName,
                "REVOKE " + PostgresEngine.quote(base) + " FROM " + PostgresEngine.quote(clone),
                "ALTER ROLE " + PostgresEngine.quote(clone) + " RESET role");

        world.rotateSuccessfully(arn);

        DatabaseSecret now = world.current(arn);
        assertThat(now.username()).isEqualTo(clone);
        try (Connection c = db.connect(world.dbName, clone, now.password()); Statement s = c.createStatement()) {
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
