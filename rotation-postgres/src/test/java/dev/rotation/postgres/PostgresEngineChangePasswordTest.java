package dev.rotation.postgres;

import dev.rotation.shared.PasswordChangeRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotation.secret.DatabaseSecret;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PostgresEngineChangePasswordTest {

    @Test
    void changeOwnPassword_onPostgres9_failsBeforeSendingAnything() {
        List<String> calls = new ArrayList<>();
        DatabaseMetaData metaData = (DatabaseMetaData) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DatabaseMetaData.class}, (self, method, args) -> {
                    if (method.getName().equals("getDatabaseMajorVersion")) {
                        return 9;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        Connection connection = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Connection.class}, (self, method, args) -> {
                    calls.add(method.getName());
                    if (method.getName().equals("getMetaData")) {
                        return metaData;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        DatabaseSecret secret = DatabaseSecret.builder().engine("postgres").host("db").username("app")
                .password("Current-pw-1").build();

        assertThatThrownBy(() -> new PostgresEngine().changeOwnPassword(
                new PasswordChangeRequest(connection, secret, "New-pw-2")))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("PostgreSQL 9 cannot store SCRAM-SHA-256")
                .hasMessageNotContaining("New-pw-2");
        assertThat(calls).containsExactly("getMetaData");
    }
}
