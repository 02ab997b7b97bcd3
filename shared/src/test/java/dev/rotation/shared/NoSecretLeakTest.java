package dev.rotation.shared;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SecretsManagerRotationEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Captures every log line and every exception a rotation produces, including failures whose
 * driver messages quote passwords, and finds no password in any of them.
 */
class NoSecretLeakTest {
    private static final String CURRENT = "Curr3nt-Pw'\"\\x";
    private static final String PREVIOUS = "Prev1ous-Pw-9";
    private static final String PENDING = "Pend1ng-Pw:%$";
    private static final String ARN = FakeSecretsManager.ARN;

    private final FakeSecretsManager secretsManager = new FakeSecretsManager();
    private final FakeDatabase database = FakeDatabase.mysql().withUser("app", PREVIOUS);
    private final List<String> output = new ArrayList<>();

    private static String secret(String password) {
        String escaped = password.replace("\\", "\\\\").replace("\"", "\\\"");
        return "{\"engine\":\"mysql\",\"host\":\"db\",\"username\":\"app\",\"password\":\"" + escaped + "\"}";
    }

    private void run(String step, String token) {
        SingleUserRotationHandler handler =
                new SingleUserRotationHandler(secretsManager, Map.of("LOG_LEVEL", "DEBUG", "ALLOW_PLAINTEXT_FALLBACK", "true"),
                        database, output::add);
        try {
            handler.handleRequest(new SecretsManagerRotationEvent(step, ARN, token, null), null);
        } catch (RuntimeException e) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            output.add(e.getMessage());
            output.add(trace.toString());
        }
    }

    @Test
    void rotationWithFailures_neverShowsAPassword() {
        secretsManager.create(secret(CURRENT));
        secretsManager.putVersion("previous-version-00000000000000000000", secret(PREVIOUS), "AWSPREVIOUS");
        String token = secretsManager.startRotation();
        secretsManager.nextRandomPasswords(PENDING);
        run("createSecret", token);

        database.changeFailureMessage = "ALTER USER app IDENTIFIED BY '" + PENDING + "' -- was '" + PREVIOUS + "'";
        run("setSecret", token);
        database.changeFailureMessage = null;
        database.connectFailureMessage = "jdbc:mysql://app:" + CURRENT + "@db/app?password=" + PENDING;
        run("setSecret", token);
        database.connectFailureMessage = null;
        database.offersTls = false;
        run("setSecret", token);
        run("testSecret", token);
        run("finishSecret", token);
        run("finishSecret", token);

        assertThat(database.accepts("app", PENDING)).isTrue();
        assertThat(output).anyMatch(line -> line.contains("syntax error near"))
                .anyMatch(line -> line.contains("jdbc:mysql://<redacted>@db"))
                .anyMatch(line -> line.contains("falling back to plaintext"))
                .anyMatch(line -> line.contains("logged in with the AWSPREVIOUS password"));
        for (String text : output) {
            assertThat(text).doesNotContain(CURRENT, PREVIOUS, PENDING, "Curr3nt", "Prev1ous", "Pend1ng");
        }
    }

    @Test
    void malformedSecrets_neverShowAPassword() {
        secretsManager.create("{\"engine\":\"mysql\",\"password\":\"" + PREVIOUS + "\",\"host\":");
        String token = secretsManager.startRotation();
        run("createSecret", token);

        secretsManager.putVersion("current-2-000000000000000000000000", "{\"engine\":\"db2\",\"host\":\"db\","
                + "\"username\":\"app\",\"password\":\"" + PREVIOUS + "\"}", "AWSCURRENT");
        run("createSecret", token);

        assertThat(output).hasSizeGreaterThanOrEqualTo(6);
        for (String text : output) {
            assertThat(text).doesNotContain(PREVIOUS, "Prev1ous");
        }
    }
}
