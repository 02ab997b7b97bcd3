package dev.rotation.testkit.contract;

import dev.rotation.testkit.EngineTarget;
import dev.rotation.testkit.RotationWorld;
import dev.rotation.testkit.RotationWorld.SecretState;
import dev.rotation.testkit.RotationWorld.Account;
import static dev.rotation.testkit.RotationWorld.CURRENT;
import static dev.rotation.testkit.RotationWorld.PENDING;
import static dev.rotation.testkit.RotationWorld.PREVIOUS;
import static dev.rotation.testkit.SecretAssertions.assertDifferentSecret;
import static dev.rotation.testkit.SecretAssertions.assertSameSecret;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rotation.local.secretsmanager.RotationStep;
import dev.rotation.secret.DatabaseSecret;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every single-user rotation function must do, against a real database and the local Secrets
 * Manager over HTTP: full rotations through RotateSecret, idempotent steps, recovery from a
 * half-finished rotation, user names that need quoting and passwords full of punctuation. An engine
 * module runs it as {@code <Engine>SingleUserRotationIT} with its {@link EngineTarget}.
 *
 * <p>Bad input is covered by {@link SingleUserBadInputContract}, secrecy of logs and errors by
 * {@link SecretHygieneContract}.
 */
public class SingleUserRotationIT extends RotationContractBase {

    // ---- full rotations --------------------------------------------------------------------------

    @Test
    void rotateSecret_changesThePassword_andMovesTheLabelsAsTheServiceExpects() {
        Account account = fixture.newAccount("full");
        String original = fixture.secretFor(account).write();
        String arn = fixture.createSecret(original);
        String firstVersion = fixture.versionHolding(arn, CURRENT);

        String token = fixture.rotateSuccessfully(arn);

        DatabaseSecret rotated = DatabaseSecret.parse(fixture.currentValue(arn));
        assertDifferentSecret("new password", rotated.password(), account.password());
        assertSameSecret("every key but the password unchanged, unknown keys included",
                rotated.withPassword(account.password()).toJson(), DatabaseSecret.parse(original).toJson());
        assertThat(rotated.otherKeys()).containsExactly("team");
        assertThat(fixture.canLogin(account.username(), rotated.password())).isTrue();
        assertThat(fixture.canLogin(account.username(), account.password())).isFalse();
        assertLabelsAfterRotation(arn, token, firstVersion);
    }

    @Test
    void rotateSecret_threeTimesInARow_eachNewPasswordReplacesTheLastOne() {
        Account account = fixture.newAccount("thrice");
        String arn = fixture.createSecret(fixture.secretFor(account).write());
        Set<String> passwords = new HashSet<>(List.of(account.password()));
        String previousPassword = account.password();

        for (int rotation = 1; rotation <= 3; rotation++) {
            String before = fixture.versionHolding(arn, CURRENT);
            String token = fixture.rotateSuccessfully(arn);
            String password = DatabaseSecret.parse(fixture.currentValue(arn)).password();

            assertThat(passwords.add(password)).as("rotation %s made a new password", rotation).isTrue();
            assertThat(fixture.canLogin(account.username(), password)).isTrue();
            assertThat(fixture.canLogin(account.username(), previousPassword)).isFalse();
            assertLabelsAfterRotation(arn, token, before);
            assertSameSecret("password of AWSPREVIOUS",
                    DatabaseSecret.parse(fixture.valueOf(arn, before, PREVIOUS).orElseThrow()).password(), previousPassword);
            previousPassword = password;
        }
        assertThat(fixture.labels(arn)).as("labelled versions (older ones are deprecated and not listed)").hasSize(2);
    }

    /**
     * AWSCURRENT on the token, AWSPREVIOUS on the version it left, AWSPENDING nowhere else than on
     * the token (the service leaves it there after a finished rotation), no other labels.
     */
    private void assertLabelsAfterRotation(String arn, String token, String previousVersion) {
        Map<String, List<String>> labels = fixture.labels(arn);
        assertThat(labels.get(token)).contains(CURRENT).doesNotContain(PREVIOUS);
        assertThat(labels.get(token)).isSubsetOf(CURRENT, PENDING);
        assertThat(labels.get(previousVersion)).containsExactly(PREVIOUS);
        labels.forEach((version, stages) -> {
            if (!version.equals(token) && !version.equals(previousVersion)) {
                assertThat(stages).as("labels of older version %s", version).isEmpty();
            }
        });
    }

    // ---- idempotency -------------------------------------------------------------------------------

    @Test
    void everyStepInvokedTwice_thenTheWholeRotationAgainWithTheSameToken_endsInTheSameState() {
        Account account = fixture.newAccount("twice");
        String arn = fixture.createSecret(fixture.secretFor(account).write());
        String firstVersion = fixture.versionHolding(arn, CURRENT);
        String token = fixture.startPendingRotation(arn);

        fixture.invoke(RotationStep.CREATE_SECRET, arn, token);
        String pending = fixture.valueOf(arn, token, PENDING).orElseThrow();
        fixture.invoke(RotationStep.CREATE_SECRET, arn, token);
        assertSameSecret("AWSPENDING after a second createSecret", fixture.valueOf(arn, token, PENDING).orElse(null),
                pending);
        String newPassword = DatabaseSecret.parse(pending).password();

        fixture.invoke(RotationStep.SET_SECRET, arn, token);
        fixture.invoke(RotationStep.SET_SECRET, arn, token);
        assertThat(fixture.canLogin(account.username(), newPassword)).isTrue();
        assertThat(fixture.canLogin(account.username(), account.password())).isFalse();

        fixture.invoke(RotationStep.TEST_SECRET, arn, token);
        fixture.invoke(RotationStep.TEST_SECRET, arn, token);
        fixture.invoke(RotationStep.FINISH_SECRET, arn, token);
        fixture.invoke(RotationStep.FINISH_SECRET, arn, token);
        SecretState end = fixture.state(arn);
        assertLabelsAfterRotation(arn, token, firstVersion);

        fixture.invokeAllSteps(arn, token);

        assertThat(fixture.state(arn)).isEqualTo(end);
        assertSameSecret("AWSCURRENT", fixture.currentValue(arn), pending);
        assertThat(fixture.canLogin(account.username(), newPassword)).isTrue();
        assertThat(fixture.canLogin(account.username(), account.password())).isFalse();
    }

    @Test
    void rotationRetriedFromTheStartAfterSetSecret_keepsThePendingPasswordAndFinishes() {
        Account account = fixture.newAccount("retry");
        String arn = fixture.createSecret(fixture.secretFor(account).write());
        String firstVersion = fixture.versionHolding(arn, CURRENT);
        String token = fixture.startPendingRotation(arn);
        fixture.invoke(RotationStep.CREATE_SECRET, arn, token);
        fixture.invoke(RotationStep.SET_SECRET, arn, token);
        String pending = fixture.valueOf(arn, token, PENDING).orElseThrow();

        fixture.invokeAllSteps(arn, token);

        assertSameSecret("AWSCURRENT", fixture.currentValue(arn), pending);
        assertThat(fixture.canLogin(account.username(), DatabaseSecret.parse(pending).password())).isTrue();
        assertLabelsAfterRotation(arn, token, firstVersion);
    }

    // ---- recovery ----------------------------------------------------------------------------------

    @Test
    void setSecret_whenTheDatabaseAlreadyHoldsThePendingPassword_succeedsAndTheRotationFinishes() {
        Account account = fixture.newAccount("haspending");
        String arn = fixture.createSecret(fixture.secretFor(account).write());
        String token = fixture.startPendingRotation(arn);
        fixture.invoke(RotationStep.CREATE_SECRET, arn, token);
        String newPassword = DatabaseSecret.parse(fixture.valueOf(arn, token, PENDING).orElseThrow()).password();
        fixture.db.setPasswordAsAdmin(account.username(), newPassword);

        fixture.invoke(RotationStep.SET_SECRET, arn, token);
        fixture.invoke(RotationStep.TEST_SECRET, arn, token);
        fixture.invoke(RotationStep.FINISH_SECRET, arn, token);

        assertThat(fixture.versionHolding(arn, CURRENT)).isEqualTo(token);
        assertThat(fixture.canLogin(account.username(), newPassword)).isTrue();
        assertThat(fixture.canLogin(account.username(), account.password())).isFalse();
    }

    @Test
    void setSecret_whenTheDatabaseStillHoldsThePreviousPassword_logsInWithItAndRotates() {
        Account account = fixture.newAccount("hasprevious");
        String arn = fixture.createSecret(fixture.secretFor(account).write());
        fixture.rotateSuccessfully(arn);
        String secondPassword = DatabaseSecret.parse(fixture.currentValue(arn)).password();
        fixture.db.setPasswordAsAdmin(account.username(), account.password());
        String secondVersion = fixture.versionHolding(arn, CURRENT);
        String token = fixture.startPendingRotation(arn);

        fixture.invokeAllSteps(arn, token);

        String thirdPassword = DatabaseSecret.parse(fixture.currentValue(arn)).password();
        assertThat(fixture.canLogin(account.username(), thirdPassword)).isTrue();
        assertThat(fixture.canLogin(account.username(), account.password())).isFalse();
        assertThat(fixture.canLogin(account.username(), secondPassword)).isFalse();
        assertLabelsAfterRotation(arn, token, secondVersion);
        assertThat(fixture.logLines).anyMatch(line -> line.contains("AWSPREVIOUS"));
    }

    // ---- names and passwords that need care -----------------------------------------------------

    Stream<String> usernamesThatNeedQuoting() {
        String suffix = RotationWorld.random(3);
        String longest = "q'`\\\" " + suffix;
        longest = longest + "x".repeat(engineTarget().database().maxUsernameLength() - longest.length());
        return Stream.of("o'brien_" + suffix, "back`tick_" + suffix, "back\\slash_" + suffix, "dq\"uote_" + suffix,
                "with space " + suffix, "ünïcødé_日本_" + suffix, "' OR '1'='1 " + suffix, longest);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("usernamesThatNeedQuoting")
    void rotateSecret_forAUserNameThatNeedsQuoting_rotatesThatUsersPassword(String username) {
        Account account = fixture.newAccount(username, fixture.newPassword());
        String arn = fixture.createSecret(fixture.secretFor(account).write());

        fixture.rotateSuccessfully(arn);

        DatabaseSecret rotated = DatabaseSecret.parse(fixture.currentValue(arn));
        assertThat(rotated.username()).isEqualTo(username);
        assertThat(fixture.canLogin(username, rotated.password())).isTrue();
        assertThat(fixture.canLogin(username, account.password())).isFalse();
    }

    /** Every character GetRandomPassword counts as punctuation, less the engine's default exclusions. */
    String allowedPunctuation() {
        StringBuilder allowed = new StringBuilder();
        for (char c : "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".toCharArray()) {
            if (engineTarget().engine().description().defaultExcludedCharacters().indexOf(c) < 0) {
                allowed.append(c);
            }
        }
        return allowed.toString();
    }

    @Test
    void rotation_fromAndToPasswordsWithEveryAllowedPunctuationCharacter() {
        String punctuation = allowedPunctuation();
        Account account = fixture.newAccount(RotationWorld.unique("punct"), "Aa1" + punctuation + "Zz9");
        String arn = fixture.createSecret(fixture.secretFor(account).write());
        String token = fixture.startPendingRotation(arn);
        String reversed = new StringBuilder(punctuation).reverse().toString();
        String chosen = "Bb2" + reversed + "Yy8";
        fixture.sm.putSecretValue(r -> r.secretId(arn).clientRequestToken(token).versionStages(PENDING)
                .secretString(fixture.secretFor(new Account(account.username(), chosen)).write()));

        fixture.invokeAllSteps(arn, token);

        assertThat(fixture.canLogin(account.username(), chosen)).isTrue();
        assertThat(fixture.canLogin(account.username(), account.password())).isFalse();

        fixture.rotateSuccessfully(arn);

        String generated = DatabaseSecret.parse(fixture.currentValue(arn)).password();
        assertThat(generated.chars().anyMatch(Character::isWhitespace)).as("generated password has a space").isFalse();
        for (char excluded : engineTarget().engine().description().defaultExcludedCharacters().toCharArray()) {
            assertThat(generated.indexOf(excluded)).as("generated password holds excluded %s", excluded).isNegative();
        }
        assertThat(fixture.canLogin(account.username(), generated)).isTrue();
        assertThat(fixture.canLogin(account.username(), chosen)).isFalse();
    }
}
