package dev.rotation.testkit.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.rotation.local.secretsmanager.LocalSecretsManager;
import dev.rotation.local.secretsmanager.RotationOutcome;
import dev.rotation.local.secretsmanager.RotationStep;
import dev.rotation.local.testdb.ServerVersion;
import dev.rotation.local.testdb.TestDatabase;
import dev.rotation.local.testdb.TlsMaterial;
import dev.rotation.secret.DatabaseSecret;
import dev.rotation.secret.SslMode;
import dev.rotation.testkit.EngineTarget;
import dev.rotation.testkit.EngineTargets;
import dev.rotation.testkit.RotationWorld;
import dev.rotation.testkit.RotationWorld.Account;
import dev.rotation.testkit.Strategy;
import dev.rotation.testkit.faults.FaultInjector;
import dev.rotation.testkit.faults.FaultMatrix;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;

/**
 * Every server version of the matrix ({@link ServerVersion} of the engine module's family) with RDS-like
 * masters: single-user rotation twice, alternating users three times (privileges and object ownership
 * checked as the contracts do), the TLS cases (verified TLS for both strategies, a foreign CA refused
 * without a fallback), one fault-convergence pass per strategy with a fault at every database call (the
 * Secrets Manager faults do not depend on the server; the full matrix runs on the default servers), and,
 * on PostgreSQL, a server that trusts the user (any password accepted) failing setSecret. One server per
 * version ({@link MatrixServers}), with TLS, shared by all of that version's tests; the full contract
 * suites run on the default servers.
 *
 * <p>The last test compares the rows this build produced (see {@link CompatibilityTable}, also written to
 * {@code target/compatibility-<family>.md}) with README.md's "## Compatibility" table.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public class CompatibilityIT {
    private final CompatibilityTable table = new CompatibilityTable();
    private EngineTarget target;
    private String family;
    private List<ServerVersion> versions;
    private TlsMaterial otherCa;

    @BeforeAll
    void startServers() {
        target = EngineTargets.current();
        family = target.database().engine().equals("postgres") ? "postgres" : "mysql";
        versions = ServerVersion.of(family);
        MatrixServers.startAll(versions);
        otherCa = TlsMaterial.generate("127.0.0.1");
    }

    @AfterAll
    void closeCa() {
        if (otherCa != null) {
            otherCa.close();
        }
    }

    @TestFactory
    Stream<DynamicNode> matrix() {
        Stream<DynamicNode> perVersion = versions.stream().map(v -> dynamicContainer(v.toString(), Stream.of(
                cell(v, Strategy.SINGLE_USER, "single user: two rotations", () -> singleUserTwice(v)),
                cell(v, Strategy.ALTERNATING_USERS, "alternating users: three rotations, privileges and ownership",
                        () -> alternatingUsersThrice(v)),
                cell(v, Strategy.SINGLE_USER, "TLS: single user with ssl true and a CA bundle", () -> tlsSingleUser(v)),
                cell(v, Strategy.ALTERNATING_USERS, "TLS: alternating users with ssl true and a CA bundle",
                        () -> tlsAlternatingUsers(v)),
                cell(v, Strategy.SINGLE_USER, "TLS: a CA that did not sign the server fails without fallback",
                        () -> tlsForeignCa(v)),
                cell(v, Strategy.SINGLE_USER, "faults: single user, a fault at every database call (one kind each, taking turns)",
                        () -> faults(v, Strategy.SINGLE_USER)),
                cell(v, Strategy.ALTERNATING_USERS, "faults: alternating users, a fault at every database call (one kind each, taking turns)",
                        () -> faults(v, Strategy.ALTERNATING_USERS)),
                // MariaDB checks every account's password: no account setting turns that off to test against.
                v.engine().equals("postgres") ? cell(v, Strategy.SINGLE_USER,
                        "a server accepting any password fails setSecret", () -> anyPasswordAccepted(v)) : null)
                .filter(java.util.Objects::nonNull)));
        return Stream.concat(perVersion, Stream.of(dynamicTest("README's compatibility table is this build's",
                this::readmeTableMatches)));
    }

    private DynamicNode cell(ServerVersion version, Strategy strategy, String name, Executable test) {
        return dynamicTest(name, () -> {
            boolean passed = false;
            try {
                test.execute();
                passed = true;
            } finally {
                table.record(version, strategy, passed);
            }
        });
    }

    private RotationWorld world(ServerVersion version, Strategy strategy) {
        return RotationWorld.builder(target).server(MatrixServers.server(version)).strategy(strategy).build();
    }

    void singleUserTwice(ServerVersion version) {
        try (RotationWorld w = world(version, Strategy.SINGLE_USER)) {
            Account account = w.newAccount("compat");
            String arn = w.createSecret(w.secretFor(account).write());
            String items = RotationWorld.unique("items");
            w.createTable(account.username(), account.password(), items);
            String replaced = account.password();
            for (int rotation = 1; rotation <= 2; rotation++) {
                w.rotateSuccessfully(arn);
                DatabaseSecret now = w.current(arn);
                assertThat(now.username()).isEqualTo(account.username());
                assertThat(w.canLogin(now)).as("new password after rotation %d", rotation).isTrue();
                assertThat(w.canLogin(account.username(), replaced)).as("replaced password").isFalse();
                assertThat(w.writeAndCount(now.username(), now.password(), items, rotation)).isEqualTo(rotation);
                replaced = now.password();
            }
            w.assertNoPasswordInLogs();
        }
    }

    void alternatingUsersThrice(ServerVersion version) {
        try (RotationWorld w = world(version, Strategy.ALTERNATING_USERS)) {
            String base = RotationWorld.unique("alt");
            String password = w.newPassword();
            w.newAppUser(base, password);
            String masterArn = w.newMasterSecret(base);
            String arn = w.createSecret(w.appSecret(base, password, masterArn).write());
            String items = RotationWorld.unique("items");
            w.createTable(base, password, items);
            EngineTarget.ExtraPrivilege extra = target.extraPrivilege(w.db, w.dbName);
            extra.grantTo(base);
            List<DatabaseSecret> history = new ArrayList<>(List.of(w.current(arn)));
            String byClone = RotationWorld.unique("by_clone");
            for (int rotation = 1; rotation <= 3; rotation++) {
                w.rotateSuccessfully(arn);
                DatabaseSecret now = w.current(arn);
                DatabaseSecret previous = w.read(arn, RotationWorld.PREVIOUS).orElseThrow();
                assertThat(now.username()).as("user after rotation %d", rotation)
                        .isEqualTo(rotation % 2 == 1 ? base + "_clone" : base);
                assertThat(previous.username()).isEqualTo(history.get(rotation - 1).username());
                assertThat(w.canLogin(previous)).as("previous user after rotation %d", rotation).isTrue();
                if (rotation >= 2) {
                    assertThat(w.canLogin(history.get(rotation - 2))).as("password replaced by rotation %d", rotation)
                            .isFalse();
                }
                assertThat(w.writeAndCount(now.username(), now.password(), items, rotation)).isEqualTo(rotation);
                assertThat(extra.usableBy(now.username(), now.password())).as("privilege synchronized").isTrue();
                if (rotation == 1) {
                    w.createTable(now.username(), now.password(), byClone);
                }
                assertThat(w.writeAndCount(previous.username(), previous.password(), byClone, rotation))
                        .as("the other user writes to what the clone created").isEqualTo(rotation);
                history.add(now);
            }
            DatabaseSecret baseUser = w.read(arn, RotationWorld.PREVIOUS).orElseThrow();
            assertThat(baseUser.username()).isEqualTo(base);
            w.alterAndDrop(baseUser.username(), baseUser.password(), byClone); // owned by the pair, not by the clone
            w.assertNoPasswordInLogs();
        }
    }

    void tlsSingleUser(ServerVersion version) {
        try (RotationWorld w = world(version, Strategy.SINGLE_USER)) {
            w.environment("DB_TLS_CA_BUNDLE", MatrixServers.tls().caCertificate().toString());
            w.ssl = SslMode.REQUIRED;
            Account account = w.newAccount("tls");
            String arn = w.createSecret(w.secretFor(account).put("host", "127.0.0.1").write());
            w.rotateSuccessfully(arn);
            assertThat(w.canLogin(w.current(arn))).isTrue();
            assertThat(w.canLogin(account.username(), account.password())).isFalse();
        }
    }

    void tlsAlternatingUsers(ServerVersion version) {
        try (RotationWorld w = world(version, Strategy.ALTERNATING_USERS)) {
            w.environment("DB_TLS_CA_BUNDLE", MatrixServers.tls().caCertificate().toString());
            w.environment("ALLOW_PLAINTEXT_FALLBACK", "false");
            w.ssl = SslMode.REQUIRED;
            String arn = w.newApplicationSecret("tlsalt");
            String base = w.current(arn).username();
            w.rotateSuccessfully(arn);
            w.rotateSuccessfully(arn);
            DatabaseSecret now = w.current(arn);
            assertThat(now.username()).isEqualTo(base);
            assertThat(w.canLogin(now)).isTrue();
            assertThat(w.logLines).noneMatch(line -> line.contains("falling back to plaintext"));
        }
    }

    void tlsForeignCa(ServerVersion version) {
        try (RotationWorld w = world(version, Strategy.SINGLE_USER)) {
            w.environment("DB_TLS_CA_BUNDLE", otherCa.caCertificate().toString());
            w.ssl = SslMode.REQUIRED;
            Account account = w.newAccount("wrongca");
            String arn = w.createSecret(w.secretFor(account).put("host", "127.0.0.1").write());
            String token = w.startPendingRotation(arn);
            w.invoke(RotationStep.CREATE_SECRET, arn, token);
            RotationWorld.SecretState before = w.state(arn);

            assertThatThrownBy(() -> w.invoke(RotationStep.SET_SECRET, arn, token)).hasMessageContaining("over TLS")
                    .hasMessageMatching("(?is).*(certif|PKIX|trust anchor|hostname|identity).*");

            assertThat(w.state(arn)).isEqualTo(before);
            assertThat(w.canLogin(account.username(), account.password())).isTrue();
        }
    }

    void faults(ServerVersion version, Strategy strategy) {
        try (RotationWorld w = RotationWorld.builder(target).server(MatrixServers.server(version))
                .maxRotationAttempts(LocalSecretsManager.DEFAULT_MAX_ROTATION_ATTEMPTS).faultInjection().build()) {
            FaultMatrix.converge(w, strategy, 0, EnumSet.of(FaultInjector.Site.DATABASE), false);
        }
    }

    /** PostgreSQL {@code trust} for the user: the pending password "already logs in", as any would. */
    void anyPasswordAccepted(ServerVersion version) {
        try (RotationWorld w = world(version, Strategy.SINGLE_USER)) {
            Account account = w.newAccount("trusted");
            String arn = w.createSecret(w.secretFor(account).write());
            w.db.acceptAnyPasswordFor(account.username());

            RotationOutcome outcome = w.rotate(arn);

            assertThat(outcome.status()).isEqualTo(RotationOutcome.FAILED);
            assertThat(outcome.step()).isEqualTo(RotationStep.SET_SECRET);
            assertThat(outcome.reason()).contains("the server accepts any password for user '" + account.username()
                    + "' (trust authentication?): rotation would change nothing");
            assertThat(w.current(arn).password().equals(account.password())).as("AWSCURRENT unchanged").isTrue();
            w.assertNoPasswordInLogs();
        }
    }

    void readmeTableMatches() {
        List<String> rows = table.rows(family, versions);
        Path written = table.write(family, rows);
        List<String> prefixes = family.equals("postgres") ? List.of("| PostgreSQL |") : List.of("| MariaDB |", "| MySQL |");
        assertThat(CompatibilityTable.readmeRows(Path.of("..", "README.md"), prefixes))
                .as("README.md's compatibility rows; this build's are in %s", written.toAbsolutePath())
                .containsExactlyElementsOf(rows);
        assertThat(rows).as("every version of the matrix tested here")
                .allMatch(r -> !r.contains("FAILED") && !r.contains("not run"));
    }
}
