package dev.rotation.local.testdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every version of the compatibility matrix starts from its source (installed package or Maven artifact
 * unpacked into the cache) with today's guarantees: it reports the version asked for, really checks
 * passwords, and is gone (process and directory) once closed.
 */
class ServerVersionsIT {

    @ParameterizedTest(name = "{0}")
    @EnumSource(ServerVersion.class)
    void start_givesAServerOfThatVersionThatChecksPasswords_andCloseDeletesIt(ServerVersion version) throws Exception {
        Path dir;
        try (TestDatabase db = TestDatabases.start(version, null)) {
            assertThat(db.engine()).isEqualTo(version.engine());
            assertThat(db.describe()).contains(version.product() + " " + version.major() + ".");
            try (Connection c = db.admin(); Statement s = c.createStatement();
                 ResultSet rows = s.executeQuery("SELECT version()")) {
                rows.next();
                assertThat(rows.getString(1)).contains(version.major() + ".");
            }
            String dbName = db.createDatabase("versions");
            String user = "u_" + Passwords.suffix(8);
            db.createAppUser(dbName, user, "right-Password-1");
            assertThat(db.canLogin(dbName, user, "right-Password-1")).isTrue();
            assertThat(db.canLogin(dbName, user, "wrong-Password-1")).isFalse();
            assertThat(db.canLogin(dbName, db.adminUsername(), "wrong-Password-1")).isFalse();
            dir = db.serverLog().orElseThrow().getParent();
            assertThat(dir).isDirectory();
        }
        assertThat(Files.exists(dir)).as("the server's directory after close").isFalse();
    }
}
