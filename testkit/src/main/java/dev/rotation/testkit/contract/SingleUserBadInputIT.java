package dev.rotation.testkit.contract;

import dev.rotation.testkit.EngineTarget;
import dev.rotation.testkit.SecretAssertions;
import dev.rotation.testkit.TestJson;
import dev.rotation.testkit.RotationWorld;
import dev.rotation.testkit.RotationWorld.SecretState;
import dev.rotation.testkit.RotationWorld.Account;
import static dev.rotation.testkit.RotationWorld.CURRENT;
import static dev.rotation.testkit.RotationWorld.PENDING;
import static dev.rotation.testkit.RotationWorld.PREVIOUS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotation.local.secretsmanager.RotationStep;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input: each case fails with an error that names the problem and holds no password, and
 * changes nothing: the secret's versions, labels and values and the database's password are the
 * same before and after. Token already AWSCURRENT is the one success among them.
 */
public class SingleUserBadInputIT extends RotationContractBase {

    /** A secret for a fresh user, with rotation turned on and a value-less AWSPENDING version. */
    private record Pending(Account account, String arn, String token) {
    }

    private Pending pendingRotation(TestJson secret, Account account) {
        String arn = fixture.createSecret(secret.write());
        return new Pending(account, arn, fixture.startPendingRotation(arn));
    }

    private Pending pendingRotation(String prefix) {
        Account account = fixture.newAccount(prefix);
        return pendingRotation(fixture.secretFor(account), account);
    }

    /**
     * Runs {@code step} expecting it to fail; checks the secret and the account's login did not change
     * and the message holds none of {@code passwords}; returns the failure for more checks.
     */
    private AbstractThrowableAssert<?, ? extends Throwable> failsChangingNothing(String step, String arn, String token,
            Account account, String... passwords) {
        SecretState before = fixture.state(arn);
        Throwable failure = null;
        try {
            fixture.invoke(step, arn, token);
        } catch (RuntimeException e) {
            failure = e;
        }
        assertThat(failure).as("%s should have failed", step).isNotNull();
        assertThat(fixture.state(arn)).as("the secret after the failed %s", step).isEqualTo(before);
        if (account != null) {
            assertThat(fixture.canLogin(account.username(), account.password()))
                    .as("the database still accepts the password it had").isTrue();
        }
        List<String> secrets = new ArrayList<>(List.of(passwords));
        if (account != null) {
            secrets.add(account.password());
        }
        SecretAssertions.assertNoSecretIn("the error message", failure.getMessage(), secrets);
        return assertThat(failure);
    }

    @Test
    void anyStep_whenRotationIsNotEnabled_failsNamingIt() {
        Account account = fixture.newAccount("disabled");
        String arn = fixture.createSecret(fixture.secretFor(account).write());
        String version = fixture.versionHolding(arn, CURRENT);

        failsChangingNothing(RotationStep.CREATE_SECRET, arn, version, account)
                .hasMessageContaining("rotation is not enabled");
        assertThat(fixture.sm.describeSecret(r -> r.secretId(arn)).rotationEnabled()).isNotEqualTo(Boolean.TRUE);
    }

    @Test
    void anyStep_withATokenThatIsNoVersionOfTheSecret_failsNamingIt() {
        Pending p = pendingRotation("unknowntoken");
        String unknown = UUID.randomUUID().toString();

        failsChangingNothing(RotationStep.CREATE_SECRET, p.arn(), unknown, p.account())
                .hasMessageContaining("has no version " + unknown);
        failsChangingNothing(RotationStep.SET_SECRET, p.arn(), unknown, p.account())
                .hasMessageContaining("has no version " + unknown);
    }

    @Test
    void anyStep_withATokenThatIsNotAwsPending_failsNamingIt() {
        Account account = fixture.newAccount("notpending");
        String arn = fixture.createSecret(fixture.secretFor(account).write());
        fixture.rotateSuccessfully(arn);
        String previous = fixture.versionHolding(arn, PREVIOUS);
        Account rotated = new Account(account.username(),
                dev.rotation.secret.DatabaseSecret.parse(fixture.currentValue(arn)).password());

        failsChangingNothing(RotationStep.SET_SECRET, arn, previous, rotated, account.password())
                .hasMessageContaining("is not AWSPENDING");
        failsChangingNothing(RotationStep.FINISH_SECRET, arn, previous, rotated, account.password())
                .hasMessageContaining("is not AWSPENDING");
    }

    @Test
    void everyStep_withATokenAlreadyAwsCurrent_succeedsAndChangesNothing() {
        Account account = fixture.newAccount("alreadycurrent");
        String arn = fixture.createSecret(fixture.secretFor(account).write());
        String token = fixture.rotateSuccessfully(arn);
        String password = dev.rotation.secret.DatabaseSecret.parse(fixture.currentValue(arn)).password();
        SecretState before = fixture.state(arn);

        fixture.invokeAllSteps(arn, token);

        assertThat(fixture.state(arn)).isEqualTo(before);
        assertThat(fixture.canLogin(account.username(), password)).isTrue();
        assertThat(fixture.logLines).anyMatch(line -> line.contains("already AWSCURRENT"));
    }

    @Test
    void unknownStep_failsNamingIt() {
        Pending p = pendingRotation("unknownstep");

        failsChangingNothing("rotateEverything", p.arn(), p.token(), p.account())
                .hasMessageContaining("unknown step");
    }

    @Test
    void createSecret_whenTheCurrentValueIsNotJson_failsNamingIt() {
        Account account = fixture.newAccount("notjson");
        String arn = fixture.createSecret("{\"engine\": \"" + fixture.db.engine() + "\", \"password\": \""
                + account.password() + "\", oops");
        String token = fixture.startPendingRotation(arn);

        failsChangingNothing(RotationStep.CREATE_SECRET, arn, token, account)
                .hasMessageContaining("AWSCURRENT").hasMessageContaining("unusable");
        SecretAssertions.assertNoValue("AWSPENDING", fixture.valueOf(arn, token, PENDING));
    }

    @ParameterizedTest(name = "without {0}")
    @ValueSource(strings = {"host", "username", "password"})
    void createSecret_whenTheCurrentValueLacksARequiredKey_failsNamingTheKey(String key) {
        Account account = fixture.newAccount("lacks");
        Pending p = pendingRotation(fixture.secretFor(account).without(key), account);

        failsChangingNothing(RotationStep.CREATE_SECRET, p.arn(), p.token(), account)
                .hasMessageContaining("'" + key + "'").hasMessageContaining("missing");
        SecretAssertions.assertNoValue("AWSPENDING", fixture.valueOf(p.arn(), p.token(), PENDING));
    }

    @Test
    void createSecret_whenTheEngineIsNotThisFunctions_failsNamingIt() {
        Account account = fixture.newAccount("otherengine");
        Pending p = pendingRotation(fixture.secretFor(account).put("engine", "oracle"), account);

        failsChangingNothing(RotationStep.CREATE_SECRET, p.arn(), p.token(), account)
                .hasMessageContaining("engine");
        SecretAssertions.assertNoValue("AWSPENDING", fixture.valueOf(p.arn(), p.token(), PENDING));
    }

    /**
     * A server that accepts TCP connections and never answers: without a timeout the step would
     * hang until Lambda kills it. The JUnit timeout only guards the build; nothing here measures time.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    @Tag(EngineTarget.WIRE)
    void setSecret_whenTheHostNeverAnswers_failsWithATimeoutOrConnectionError() throws IOException {
        fixture.environment("DB_CONNECT_TIMEOUT_SECONDS", "1");
        fixture.environment("DB_QUERY_TIMEOUT_SECONDS", "1");
        List<Socket> accepted = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (!silent.isClosed()) {
                        accepted.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // The test is over.
                }
            }, "silent-server");
            acceptor.setDaemon(true);
            acceptor.start();
            Account account = fixture.newAccount("unreachable");
            Pending p = pendingRotation(fixture.secretFor(account).put("host", "127.0.0.1")
                    .put("port", silent.getLocalPort()), account);
            fixture.invoke(RotationStep.CREATE_SECRET, p.arn(), p.token());

            failsChangingNothing(RotationStep.SET_SECRET, p.arn(), p.token(), account)
                    .hasMessageContaining("could not log in")
                    .hasMessageMatching("(?is).*(timed out|timeout).*");
        } finally {
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }

    @Test
    void setSecret_whenNothingListensOnThePort_failsWithAConnectionError() throws IOException {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        Account account = fixture.newAccount("refused");
        Pending p = pendingRotation(fixture.secretFor(account).put("host", "127.0.0.1").put("port", closedPort),
                account);
        fixture.invoke(RotationStep.CREATE_SECRET, p.arn(), p.token());

        failsChangingNothing(RotationStep.SET_SECRET, p.arn(), p.token(), account)
                .hasMessageContaining("could not log in")
                .hasMessageContaining("127.0.0.1:" + closedPort)
                .hasMessageMatching("(?is).*(refused|communications link failure).*");
    }

    @Test
    void setSecret_whenTheCurrentPasswordIsWrongAndThereIsNoPrevious_failsAndChangesNothing() {
        Account account = fixture.newAccount("wrongcurrent");
        String wrong = fixture.newPassword();
        Pending p = pendingRotation(fixture.secretFor(account).put("password", wrong), account);
        fixture.invoke(RotationStep.CREATE_SECRET, p.arn(), p.token());
        String pendingPassword = dev.rotation.secret.DatabaseSecret.parse(
                fixture.valueOf(p.arn(), p.token(), PENDING).orElseThrow()).password();

        failsChangingNothing(RotationStep.SET_SECRET, p.arn(), p.token(), account, wrong, pendingPassword)
                .hasMessageContaining("refuses").hasMessageContaining(account.username());
        assertThat(fixture.canLogin(account.username(), pendingPassword)).isFalse();
        assertThat(fixture.canLogin(account.username(), wrong)).isFalse();
    }

    @Test
    void testSecret_beforeSetSecret_failsBecauseThePendingPasswordDoesNotLogIn() {
        Pending p = pendingRotation("testfirst");
        fixture.invoke(RotationStep.CREATE_SECRET, p.arn(), p.token());

        failsChangingNothing(RotationStep.TEST_SECRET, p.arn(), p.token(), p.account())
                .hasMessageContaining("refuses the pending credentials");
    }
}
