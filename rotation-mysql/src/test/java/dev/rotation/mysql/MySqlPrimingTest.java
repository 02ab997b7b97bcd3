package dev.rotation.mysql;

import dev.rotation.shared.AlternatingUsersRotationHandler;
import dev.rotation.shared.SingleUserRotationHandler;
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
        Priming priming = Priming.of(client -> new SingleUserRotationHandler(client, Map.of(), new MySqlEngine(), lines::add),
                MySqlEngine.DESCRIPTION);

        assertThat(priming.primeCreateSecret()).isEmpty();
        assertThat(lines).last().asString().contains("\"outcome\":\"succeeded\"").contains("AWSPENDING");
    }

    @Test
    void priming_runsTheAlternatingUsersCreateSecretWithoutFailures() {
        List<String> lines = new ArrayList<>();
        Priming priming = Priming.of(client -> new AlternatingUsersRotationHandler(client, Map.of(), new MySqlEngine(), new MySqlEngine(), lines::add), MySqlEngine.DESCRIPTION);

        assertThat(priming.primeCreateSecret()).isEmpty();
        assertThat(lines).last().asString().contains("\"outcome\":\"succeeded\"");
    }

    @Test
    void priming_loadsEveryListedDriverClass() {
        Priming priming = Priming.of(client -> null, MySqlEngine.DESCRIPTION);

        assertThat(priming.primeDriver()).isEmpty();
    }
}
