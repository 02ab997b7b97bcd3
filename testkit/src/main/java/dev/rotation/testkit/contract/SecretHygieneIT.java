package dev.rotation.testkit.contract;

import dev.rotation.testkit.SecretAssertions;
import dev.rotation.testkit.RotationWorld;
import dev.rotation.testkit.RotationWorld.Account;
import static dev.rotation.testkit.RotationWorld.PENDING;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rotation.local.secretsmanager.RotationOutcome;
import dev.rotation.local.secretsmanager.RotationStep;
import dev.rotation.secret.DatabaseSecret;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * No password reaches a log line, an exception message (causes and suppressed ones included), the
 * rotation outcome the service records, or anything written to stdout/stderr, in rotations that
 * succeed and in rotations that fail.
 */
public class SecretHygieneIT extends RotationContractBase {

    @Test
    void successfulAndFailedRotations_neverShowAPasswordInLogsOrErrors() {
        Set<String> passwords = new LinkedHashSet<>();
        List<String> texts = new ArrayList<>();
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream tee = new PrintStream(console, true, StandardCharsets.UTF_8);
        System.setOut(tee);
        System.setErr(tee);
        try {
            Account good = fixture.newAccount("hygiene");
            passwords.add(good.password());
            String goodArn = fixture.createSecret(fixture.secretFor(good).write());
            fixture.rotateSuccessfully(goodArn);
            passwords.add(DatabaseSecret.parse(fixture.currentValue(goodArn)).password());
            fixture.rotateSuccessfully(goodArn);
            passwords.add(DatabaseSecret.parse(fixture.currentValue(goodArn)).password());

            Account bad = fixture.newAccount("hygienebad");
            passwords.add(bad.password());
            String wrong = fixture.newPassword();
            passwords.add(wrong);
            String badArn = fixture.createSecret(fixture.secretFor(bad).put("password", wrong).write());
            String token = fixture.startPendingRotation(badArn);
            fixture.invoke(RotationStep.CREATE_SECRET, badArn, token);
            passwords.add(DatabaseSecret.parse(fixture.valueOf(badArn, token, PENDING).orElseThrow()).password());
            for (String step : RotationWorld.STEPS) {
                try {
                    fixture.invoke(step, badArn, token);
                } catch (RuntimeException expected) {
                    // Recorded in fixture.thrown.
                }
            }

            Account viaService = fixture.newAccount("hygienesvc");
            passwords.add(viaService.password());
            String wrongToo = fixture.newPassword();
            passwords.add(wrongToo);
            String serviceArn = fixture.createSecret(fixture.secretFor(viaService).put("password", wrongToo).write());
            fixture.sm.rotateSecret(r -> r.secretId(serviceArn).rotationLambdaARN(RotationWorld.SINGLE_USER_FUNCTION)
                    .rotationRules(rules -> rules.automaticallyAfterDays(30L)));
            assertThat(fixture.server.awaitRotations(java.time.Duration.ofSeconds(120))).isTrue();
            RotationOutcome outcome = fixture.server.rotationOutcome(serviceArn).orElseThrow();
            assertThat(outcome.status()).isEqualTo(RotationOutcome.FAILED);
            texts.add(outcome.reason());
            String failedToken = outcome.versionId();
            fixture.valueOf(serviceArn, failedToken, PENDING)
                    .ifPresent(value -> passwords.add(DatabaseSecret.parse(value).password()));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        texts.add(console.toString(StandardCharsets.UTF_8));
        texts.addAll(fixture.logLines);
        for (Throwable thrown : fixture.thrown) {
            StringWriter trace = new StringWriter();
            thrown.printStackTrace(new PrintWriter(trace));
            texts.add(trace.toString());
        }

        assertThat(fixture.logLines).as("the handler logged").hasSizeGreaterThan(10);
        assertThat(fixture.thrown).as("the failing rotations threw").hasSizeGreaterThanOrEqualTo(3);
        assertThat(passwords).hasSizeGreaterThanOrEqualTo(8);
        for (int i = 0; i < texts.size(); i++) {
            SecretAssertions.assertNoSecretIn("text #" + i + " (log line, error or console output)", texts.get(i),
                    passwords);
        }
    }
}
