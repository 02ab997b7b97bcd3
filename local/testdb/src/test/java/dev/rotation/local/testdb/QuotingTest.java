package dev.rotation.local.testdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class QuotingTest {
    private static final DatabaseServer SERVER = EnvironmentServer.fromEnvironment(Kind.MYSQL, Map.of(
            "TEST_MYSQL_URL", "jdbc:mysql://db:3306/", "TEST_MYSQL_ADMIN_PASSWORD", "pw")).orElseThrow();
    private final MySqlTestDatabase mysql = new MySqlTestDatabase(SERVER, false);
    private final PostgresTestDatabase postgres = new PostgresTestDatabase(SERVER, false);

    @Test
    void mysqlAccount_doublesBackticksAndLeavesQuotesAndBackslashesLiteral() {
        assertThat(mysql.account("a`b'c\\d\"e")).isEqualTo("`a``b'c\\d\"e`@`%`");
    }

    @Test
    void mysqlGrantDatabase_escapesWildcards() {
        assertThat(mysql.grantDatabase("app_x%", true)).isEqualTo("`app\\_x\\%`");
    }

    @Test
    void mysqlGrantDatabase_withPartialRevokes_leavesTheNameLiteral() {
        assertThat(mysql.grantDatabase("app_x%", false)).isEqualTo("`app_x%`");
    }

    @Test
    void postgresIdentifier_doublesDoubleQuotes() {
        assertThat(postgres.quoteIdentifier("a\"b'c\\d`e")).isEqualTo("\"a\"\"b'c\\d`e\"");
    }

    @Test
    void postgresIdentifier_longerThan63Bytes_isRejectedRatherThanTruncated() {
        assertThatThrownBy(() -> postgres.quoteIdentifier("é".repeat(32)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("63 bytes");
    }

    @Test
    void identifiers_withNul_areRejected() {
        assertThatThrownBy(() -> mysql.quoteIdentifier("a\0b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> postgres.quoteIdentifier("a\0b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void createDatabase_withAnUnsafePrefix_failsBeforeConnecting() {
        assertThatThrownBy(() -> mysql.createDatabase("app`; DROP"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prefix");
    }
}
