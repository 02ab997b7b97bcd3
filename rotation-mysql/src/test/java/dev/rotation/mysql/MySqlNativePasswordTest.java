package dev.rotation.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MySqlNativePasswordTest {
    private static final String HASH = "*D9B3B0902DF5252D947CA0FDAE37A3793A273B80";

    @Test
    void hash_isWhatPasswordFunctionReturns() {
        // MariaDB 10.11: SELECT PASSWORD('NewSecret-2')
        assertThat(MySqlEngine.nativePasswordHash("NewSecret-2")).isEqualTo(HASH);
    }

    @Test
    void isOnlyMethod_mariaDbAndMySqlNativeAccounts() {
        assertThat(MySqlEngine.nativePasswordOnly(List.of("GRANT `r1` TO `u`@`%`",
                "GRANT USAGE ON *.* TO `u`@`%` IDENTIFIED BY PASSWORD '" + HASH + "'"))).isTrue();
        assertThat(MySqlEngine.nativePasswordOnly(List.of("GRANT USAGE ON *.* TO `u`@`%` IDENTIFIED BY PASSWORD '"
                + HASH + "' REQUIRE SSL WITH GRANT OPTION"))).isTrue();
        assertThat(MySqlEngine.nativePasswordOnly(List.of("CREATE USER 'u'@'%' IDENTIFIED WITH"
                + " 'mysql_native_password' AS '" + HASH + "' REQUIRE NONE PASSWORD EXPIRE DEFAULT ACCOUNT UNLOCK")))
                .isTrue();
    }

    @Test
    void isOnlyMethod_otherPluginsSeveralMethodsOrNoClause_areNot() {
        assertThat(MySqlEngine.nativePasswordOnly(List.of("CREATE USER `u`@`%` IDENTIFIED VIA ed25519 USING"
                + " 'Cs/UhnHiUaAHaL+T6o7MqCC2L/izYv5MOSlJnaoPxqk'"))).isFalse();
        assertThat(MySqlEngine.nativePasswordOnly(List.of("CREATE USER `u`@`%` IDENTIFIED VIA mysql_native_password"
                + " USING '" + HASH + "' OR unix_socket"))).isFalse();
        assertThat(MySqlEngine.nativePasswordOnly(List.of("CREATE USER 'u'@'%' IDENTIFIED WITH"
                + " 'mysql_native_password' AS '" + HASH + "' AND IDENTIFIED WITH 'authentication_fido'"))).isFalse();
        assertThat(MySqlEngine.nativePasswordOnly(List.of("CREATE USER 'u'@'%' IDENTIFIED WITH"
                + " 'caching_sha2_password' AS 0x24412430303524"))).isFalse();
        assertThat(MySqlEngine.nativePasswordOnly(List.of("CREATE USER `u`@`%`"))).isFalse();
        assertThat(MySqlEngine.nativePasswordOnly(List.of())).isFalse();
    }

    @Test
    void isOnlyMethod_aUserNameThatLooksLikeAClause_isNotReadAsOne() {
        assertThat(MySqlEngine.nativePasswordOnly(List.of("GRANT USAGE ON *.* TO `x IDENTIFIED BY PASSWORD '"
                + HASH + "'`@`%` IDENTIFIED VIA ed25519 USING 'abc'"))).isFalse();
    }
}
