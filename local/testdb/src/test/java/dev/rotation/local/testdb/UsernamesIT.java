package dev.rotation.local.testdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** User names that need quoting work end to end: create, log in, change password, drop. */
class UsernamesIT {

    static Stream<Arguments> names() {
        return Engines.names().flatMap(engine -> Stream.of(
                "o'brien",
                "back`tick",
                "back\\slash",
                "trailing\\",
                "with space",
                "dq\"uote",
                "semi;colon--",
                "pct%und_er",
                "ünïcødé 日本",
                "' OR '1'='1",
                "`; DROP USER root; --",
                maxLength(engine)
        ).map(name -> Arguments.of(engine, name)));
    }

    /** 32 characters for MySQL/MariaDB; 63 bytes (with multi-byte characters) for PostgreSQL. */
    static String maxLength(String engine) {
        if (engine.equals("mysql")) {
            return "m'`\\" + "x".repeat(MySqlTestDatabase.MAX_USERNAME_LENGTH - 4);
        }
        String name = "p'\"é" + "y".repeat(PostgresTestDatabase.MAX_USERNAME_BYTES - 5);
        assertThat(name.getBytes(StandardCharsets.UTF_8)).hasSize(PostgresTestDatabase.MAX_USERNAME_BYTES);
        return name;
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("names")
    void weirdUsername_canBeCreatedUsedAndDropped(String engine, String name) throws SQLException {
        TestDatabase db = Engines.shared(engine);
        String dbName = db.createDatabase("names");
        String unique = unique(engine, name);
        db.dropUser(unique);

        db.createAppUser(dbName, unique, "first-Password-1");

        assertThat(db.userExists(unique)).isTrue();
        assertThat(db.canLogin(dbName, unique, "first-Password-1")).isTrue();
        assertThat(db.canLogin(dbName, unique, "other-Password-1")).isFalse();
        try (Connection c = db.connect(dbName, unique, "first-Password-1"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(engine.equals("postgres") ? "SELECT current_user" : "SELECT CURRENT_USER()")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo(engine.equals("postgres") ? unique : unique + "@%");
        }
        db.setPasswordAsAdmin(unique, "second-Password-2");
        assertThat(db.canLogin(dbName, unique, "second-Password-2")).isTrue();
        assertThat(db.canLogin(dbName, unique, "first-Password-1")).isFalse();

        db.dropUser(unique);

        assertThat(db.userExists(unique)).isFalse();
        assertThat(db.canLogin(dbName, unique, "second-Password-2")).isFalse();
    }

    /** Runs may share a server (environment variables): make the name unique without exceeding the limit. */
    private static String unique(String engine, String name) {
        String tag = Passwords.suffix(3);
        if (engine.equals("mysql")) {
            return name.length() + 3 <= MySqlTestDatabase.MAX_USERNAME_LENGTH ? name + tag
                    : name.substring(0, MySqlTestDatabase.MAX_USERNAME_LENGTH - 3) + tag;
        }
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        return bytes.length + 3 <= PostgresTestDatabase.MAX_USERNAME_BYTES ? name + tag
                : name.substring(0, name.length() - 3) + tag;
    }
}
