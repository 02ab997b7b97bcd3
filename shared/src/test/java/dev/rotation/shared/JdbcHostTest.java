package dev.rotation.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JdbcHostTest {

    @ParameterizedTest
    @CsvSource({
        "db.example.com, db.example.com",
        "127.0.0.1, 127.0.0.1",
        "my-cluster.cluster-abc.eu-west-1.rds.amazonaws.com, my-cluster.cluster-abc.eu-west-1.rds.amazonaws.com",
        "::1, [::1]",
        "[::1], [::1]",
        "' localhost ', localhost",
    })
    void forUrl_acceptsHostNamesAndAddresses(String host, String expected) throws SQLException {
        assertThat(JdbcHost.forUrl(host)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "db?allowLoadLocalInfile=true", "db?sslmode=disable", "a,b", "db/x", "user@db", "db:3306", "db name",
        "[::1]:3306", "-db"})
    void forUrl_rejectsAnythingThatIsNotAHost(String host) {
        assertThatThrownBy(() -> JdbcHost.forUrl(host)).isInstanceOf(SQLException.class)
                .hasMessageContaining("host");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 65536})
    void checkPort_rejectsOutOfRange(int port) {
        assertThatThrownBy(() -> JdbcHost.checkPort(port)).isInstanceOf(SQLException.class)
                .hasMessageContaining("port " + port);
    }
}
