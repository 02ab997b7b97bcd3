package dev.rotation.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotation.shared.Priming;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MySqlPrimingTest {

    @Test
    void priming_runsTheSingleUserCreateSecretWithoutFailures() {
        List<String> lines = new ArrayList<>();
        Priming priming = Priming.of(client -> new MySqlRotationHandler(client, Map.of(), lines::add),
                "mysql", MySqlPriming.LOGIN_CLASSES);

        assertThat(priming.primeCreateSecret()).isEmpty();
        assertThat(lines).last().asString().contains("\"outcome\":\"succeeded\"").contains("AWSPENDING");
    }

    @Test
    void priming_runsTheAlternatingUsersCreateSecretWithoutFailures() {
        List<String> lines = new ArrayList<>();
        Priming priming = Priming.of(client -> new MySqlAlternatingUsersRotationHandler(client,
                Map.of(), lines::add), "mysql", MySqlPriming.LOGIN_CLASSES);

        assertThat(priming.primeCreateSecret()).isEmpty();
        assertThat(lines).last().asString().contains("\"outcome\":\"succeeded\"");
    }

    @Test
    void priming_loadsEveryListedDriverClass() {
        Priming priming = Priming.of(client -> null, "mysql", MySqlPriming.LOGIN_CLASSES);

        assertThat(priming.primeDriver()).isEmpty();
    }
}
