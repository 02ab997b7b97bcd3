package dev.rotation.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class AuthenticationFailuresTest {

    @Test
    void isAuthenticationFailure_recognisesMySqlPostgresAndStandardCodes() {
        assertThat(AuthenticationFailures.isAuthenticationFailure(new SQLException("Access denied", "28000", 1045)))
                .isTrue();
        assertThat(AuthenticationFailures.isAuthenticationFailure(new SQLException("denied", null, 1045))).isTrue();
        assertThat(AuthenticationFailures.isAuthenticationFailure(new SQLException("password failed", "28P01")))
                .isTrue();
        assertThat(AuthenticationFailures.isAuthenticationFailure(new SQLException("role does not exist", "28000")))
                .isTrue();
    }

    @Test
    void isAuthenticationFailure_looksThroughWrappers() {
        SQLException wrapped = new SQLException("could not connect", "08001",
                new SQLException("password authentication failed", "28P01"));

        assertThat(AuthenticationFailures.isAuthenticationFailure(wrapped)).isTrue();
    }

    @Test
    void isAuthenticationFailure_isFalseForOtherFailures() {
        assertThat(AuthenticationFailures.isAuthenticationFailure(new SQLException("link failure", "08S01", 0)))
                .isFalse();
        assertThat(AuthenticationFailures.isAuthenticationFailure(new SQLException("too many connections", "08004",
                1040))).isFalse();
        assertThat(AuthenticationFailures.isAuthenticationFailure(new SQLException("no database", "3D000"))).isFalse();
    }
}
