package dev.rotation.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrimingTest {

    @Test
    void primeCreateSecret_runsAWholeCreateSecretAgainstCannedAnswers() {
        List<String> lines = new ArrayList<>();
        Priming priming = Priming.of(client -> new SingleUserRotationHandler(client,
                Map.of("PASSWORD_LENGTH", "32"), FakeDatabase.mysql(), lines::add), FakeDatabase.mysql().description());

        assertThat(priming.primeCreateSecret()).isEmpty();
        assertThat(lines).last().asString().contains("\"step\":\"createSecret\"").contains("\"outcome\":\"succeeded\"")
                .contains("stored a new 32-character password");
    }

    @Test
    void primeCreateSecret_whenTheHandlerFails_reportsTheFailureInsteadOfThrowing() {
        Priming priming = Priming.of(client -> new SingleUserRotationHandler(client,
                Map.of("PASSWORD_LENGTH", "not-a-number"), FakeDatabase.mysql(), line -> { }), FakeDatabase.mysql().description());

        assertThat(priming.primeCreateSecret()).hasValueSatisfying(failure -> assertThat(failure)
                .startsWith("createSecret: RotationException"));
    }

    @Test
    void primeDriver_loadsTheListedClassesAndNamesTheMissingOnes() {
        Priming priming = Priming.of(client -> null, EngineDescription.of(dev.rotation.secret.Engine.MYSQL, "",
                List.of("java.sql.DriverManager", "com.example.NoSuchDriver")));

        assertThat(priming.primeDriver()).hasValue("com.example.NoSuchDriver: ClassNotFoundException; ");
    }

    @Test
    void onInit_primesOnlyWhereInitRunsAheadOfAnyRequest() {
        List<String> lines = new ArrayList<>();
        Priming priming = Priming.of(client -> new SingleUserRotationHandler(client,
                Map.of("PASSWORD_LENGTH", "32"), FakeDatabase.mysql(), lines::add), FakeDatabase.mysql().description());

        assertThat(priming.onInit("on-demand")).isFalse();
        assertThat(priming.onInit("snap-start")).isFalse(); // beforeCheckpoint does it
        assertThat(priming.onInit(null)).isFalse();
        assertThat(lines).isEmpty();

        assertThat(priming.onInit("provisioned-concurrency")).isTrue();
        assertThat(lines).last().asString().contains("\"step\":\"createSecret\"").contains("\"outcome\":\"succeeded\"");
    }
}
