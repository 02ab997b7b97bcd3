package dev.rotation.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotation.local.secretsmanager.TestClock;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SecretsManagerDataSourceTest {
    private static final String ID = FakeSecretsManager.NAME;
    private static final String OLD = "Old-pa55word!";
    private static final String NEW = "New-pa55word?";
    private static final String NEWER = "Newer-pa55word#";

    private final TestClock clock = TestClock.at("2026-03-02T10:15:00Z");
    private final FakeSecretsManager sm = new FakeSecretsManager(secret(OLD));
    private final FakeDatabase db = new FakeDatabase(OLD);
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    private final RetryPolicy policy = RetryPolicy.builder().maxRounds(5).baseDelay(Duration.ofMillis(100))
            .maxDelay(Duration.ofMillis(300)).build();
    private final SecretCache cache = SecretCache.builder().client(sm).ttl(Duration.ofMinutes(5)).clock(clock).build();
    private final ExecutorService threads = Executors.newFixedThreadPool(8);
    private Runnable onSleep = () -> { };

    private final SecretsManagerDataSource ds = SecretsManagerDataSource.builder().secretId(ID).secretCache(cache)
            .connector(db).retryPolicy(policy).sleeper(d -> {
                sleeps.add(d);
                onSleep.run();
            }).build();

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    static String secret(String password) {
        return secret(password, "\"engine\":\"mysql\",\"host\":\"db.example\",\"port\":3306,\"ssl\":false");
    }

    /** A secret whose server is {@code server} (engine, host, port and ssl as JSON members). */
    static String secret(String password, String server) {
        return "{" + server + ",\"username\":\"app\",\"password\":\"" + password + "\",\"dbname\":\"shop\"}";
    }

    @Test
    void getConnection_whenCurrentLogsIn_readsTheSecretOnce() throws Exception {
        for (int i = 0; i < 20; i++) {
            ds.getConnection().close();
        }

        assertThat(sm.requests()).isEqualTo(1);
        assertThat(db.urls).allMatch("jdbc:mysql://db.example:3306/shop"::equals);
        assertThat(ds.metrics()).satisfies(m -> {
            assertThat(m.connectionsOpened()).isEqualTo(20);
            assertThat(m.refusedLogins()).isZero();
            assertThat(m.retries()).isZero();
        });
    }

    @Test
    void getConnection_inSingleUserRotationWindow_logsInWithPendingAtOnce() throws Exception {
        ds.getConnection().close();
        sm.startRotation(secret(NEW));
        db.password = NEW;

        Connection c = ds.getConnection();

        assertThat(c).isNotNull();
        assertThat(sleeps).isEmpty();
        assertThat(db.triedPasswords).endsWith(OLD, NEW);
        assertThat(ds.metrics().pendingLogins()).isEqualTo(1);
        assertThat(sm.describeCalls).hasValue(1);
        assertThat(sm.getCalls).hasValue(2);
    }

    @Test
    void getConnection_afterBridgingOnce_usesPendingWithoutFurtherRequestsUntilCurrentMoves() throws Exception {
        ds.getConnection().close();
        sm.startRotation(secret(NEW));
        db.password = NEW;
        ds.getConnection().close();
        int requests = sm.requests();
        int tries = db.triedPasswords.size();

        for (int i = 0; i < 10; i++) {
            ds.getConnection().close();
        }

        assertThat(sm.requests()).isEqualTo(requests);
        assertThat(db.triedPasswords.subList(tries, db.triedPasswords.size())).containsOnly(NEW).hasSize(10);

        sm.finishRotation();
        clock.advance(Duration.ofMinutes(5));
        ds.getConnection().close();
        assertThat(cache.getSecret(ID).secretString()).contains(NEW);
        assertThat(db.triedPasswords).last().isEqualTo(NEW);
    }

    @Test
    void getConnection_afterRotationFinished_refreshesCurrentAndLogsIn() throws Exception {
        ds.getConnection().close();
        sm.startRotation(secret(NEW));
        sm.finishRotation();
        db.password = NEW;

        ds.getConnection().close();

        assertThat(sleeps).isEmpty();
        assertThat(db.triedPasswords).endsWith(OLD, NEW);
        assertThat(ds.metrics().pendingLogins()).isZero();
        assertThat(cache.metrics().refreshes()).isEqualTo(1);
    }

    @Test
    void getConnection_whenBridgedPasswordIsRotatedAgain_findsTheNextPending() throws Exception {
        ds.getConnection().close();
        sm.startRotation(secret(NEW));
        db.password = NEW;
        ds.getConnection().close();
        sm.finishRotation();
        sm.startRotation(secret(NEWER));
        db.password = NEWER;

        ds.getConnection().close();

        assertThat(db.triedPasswords).endsWith(NEW, NEWER);
        assertThat(sleeps).isEmpty();
        assertThat(ds.metrics().pendingLogins()).isEqualTo(2);
    }

    @Test
    void getConnection_whenPendingNamesAnotherHostPortOrEngine_neverConnectsThereAndLogsNoValue() {
        String[] elsewhere = {
            "\"engine\":\"mysql\",\"host\":\"evil.example\",\"port\":3306,\"ssl\":false",
            "\"engine\":\"mysql\",\"host\":\"db.example\",\"port\":3307,\"ssl\":false",
            "\"engine\":\"postgres\",\"host\":\"db.example\",\"port\":3306,\"ssl\":false",
        };
        List<String> log = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                log.add(new SimpleFormatter().formatMessage(record));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger(SecretsManagerDataSource.class.getName());
        logger.addHandler(capture);
        try {
            for (int i = 0; i < elsewhere.length; i++) {
                String server = elsewhere[i];
                FakeSecretsManager secrets = new FakeSecretsManager(secret(OLD));
                FakeDatabase database = new FakeDatabase(NEW);
                String version = secrets.startRotation(secret(NEW, server));
                SecretsManagerDataSource source = SecretsManagerDataSource.builder().secretId(ID).client(secrets)
                        .connector(database).retryPolicy(policy).sleeper(d -> { }).build();

                assertThatThrownBy(source::getConnection).as(server).isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28000"));
                assertThat(database.urls).as(server).containsOnly("jdbc:mysql://db.example:3306/shop");
                assertThat(database.triedPasswords).as(server).containsOnly(OLD);
                assertThat(source.metrics().pendingLogins()).isZero();
                assertThat(source.metrics().pendingIgnored()).as(server).isEqualTo(policy.maxRounds());
                assertThat(log).as("logged once per version").hasSize(i + 1);
                assertThat(log.get(i)).contains(version).contains(i == 0 ? "host" : i == 1 ? "port" : "engine");
            }
        } finally {
            logger.removeHandler(capture);
        }

        assertThat(log).hasSize(3).allMatch(m -> m.contains(ID)).noneMatch(m -> m.contains("evil.example")
                || m.contains("3307") || m.contains("postgres") || m.contains(NEW) || m.contains(OLD));
    }

    @Test
    void getConnection_whenPendingTurnsTlsOff_neverLogsInWithIt() {
        String tls = "\"engine\":\"mysql\",\"host\":\"db.example\",\"port\":3306,\"ssl\":true";
        FakeSecretsManager secrets = new FakeSecretsManager(secret(OLD, tls));
        secrets.startRotation(secret(NEW));
        db.password = NEW;
        SecretsManagerDataSource source = SecretsManagerDataSource.builder().secretId(ID).client(secrets).connector(db)
                .retryPolicy(policy).sleeper(d -> { }).build();

        assertThatThrownBy(source::getConnection).isInstanceOf(SQLException.class);
        assertThat(db.triedPasswords).containsOnly(OLD);
        assertThat(db.lastProperties).containsEntry("sslMode", "VERIFY_IDENTITY");
        assertThat(source.metrics().pendingIgnored()).isPositive();
    }

    @Test
    void getConnection_whenPendingNamesTheSameServerSpelledDifferently_logsInWithIt() throws Exception {
        ds.getConnection().close();
        // Host names are case-insensitive, 3306 is the MySQL default, MariaDB speaks the same protocol.
        sm.startRotation(secret(NEW, "\"engine\":\"mariadb\",\"host\":\"DB.Example\",\"ssl\":false"));
        db.password = NEW;

        ds.getConnection().close();

        assertThat(db.triedPasswords).endsWith(OLD, NEW);
        assertThat(db.urls).last().isEqualTo("jdbc:mysql://DB.Example:3306/shop");
        assertThat(ds.metrics().pendingLogins()).isEqualTo(1);
    }

    @Test
    void getConnection_whenNothingLogsIn_backsOffWithinBoundsAndFailsWithoutPassword() {
        db.password = "something-else";

        assertThatThrownBy(ds::getConnection).isInstanceOf(SQLException.class)
                .satisfies(e -> {
                    SQLException s = (SQLException) e;
                    assertThat(s.getSQLState()).isEqualTo("28000");
                    assertThat(s.getErrorCode()).isEqualTo(1045);
                    assertThat(s.getMessage()).contains(ID).contains("'app'").doesNotContain(OLD);
                    for (Throwable t = s; t != null; t = t.getCause()) {
                        assertThat(t.getMessage()).doesNotContain(OLD).doesNotContain("something-else");
                    }
                });
        // 100 ms doubling, capped at 300 ms: between half and all of each.
        long[] ceilings = {100, 200, 300, 300};
        assertThat(sleeps).hasSize(4);
        for (int round = 1; round <= 4; round++) {
            Duration ceiling = Duration.ofMillis(ceilings[round - 1]);
            assertThat(sleeps.get(round - 1)).as("round %d", round).isBetween(ceiling.dividedBy(2), ceiling);
        }
        assertThat(ds.metrics()).satisfies(m -> {
            assertThat(m.failedConnections()).isEqualTo(1);
            assertThat(m.backoffs()).isEqualTo(4);
            assertThat(m.loginAttempts()).isEqualTo(1);
        });
        assertThat(sm.describeCalls).hasValue(5);
    }

    @Test
    void getConnection_whenLabelsMoveDuringBackoff_logsInNextRound() throws Exception {
        ds.getConnection().close();
        db.password = NEW;
        onSleep = () -> {
            sm.startRotation(secret(NEW));
            sm.finishRotation();
        };

        ds.getConnection().close();

        assertThat(sleeps).hasSize(1);
        assertThat(db.triedPasswords).last().isEqualTo(NEW);
    }

    @Test
    void getConnection_whenServerIsDown_failsAtOnceWithoutAskingSecretsManager() throws Exception {
        ds.getConnection().close();
        db.down = true;

        assertThatThrownBy(ds::getConnection).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08S01"));
        assertThat(sm.requests()).isEqualTo(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void getConnection_whenSecretsManagerFails_throwsSqlExceptionNamingTheSecret() {
        sm.failing = true;

        assertThatThrownBy(ds::getConnection).isInstanceOf(SQLException.class).hasMessageContaining(ID)
                .hasMessageContaining("InternalServiceErrorException");
    }

    @Test
    void getConnection_manyThreadsInRotationWindow_sendBoundedRequests() throws Exception {
        ds.getConnection().close();
        sm.startRotation(secret(NEW));
        db.password = NEW;

        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            done.add(threads.submit(() -> {
                for (int i = 0; i < 50; i++) {
                    ds.getConnection().close();
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(30, TimeUnit.SECONDS);
        }

        assertThat(ds.metrics().connectionsOpened()).isEqualTo(401);
        assertThat(ds.metrics().failedConnections()).isZero();
        // One read, then at most one check per thread that failed before the bridge existed, one pending read.
        assertThat(sm.requests()).isLessThanOrEqualTo(1 + 8 + 1);
        assertThat(sm.maxInFlight).hasValue(1);
    }

    @Test
    void getConnection_withSecretWithoutCredentials_failsNamingTheKey() {
        FakeSecretsManager broken = new FakeSecretsManager("{\"engine\":\"mysql\",\"host\":\"db\",\"username\":\"app\"}");
        SecretsManagerDataSource bad = SecretsManagerDataSource.builder().secretId(ID).client(broken).connector(db)
                .build();

        assertThatThrownBy(bad::getConnection).isInstanceOf(SQLException.class).hasMessageContaining("'password'");
        assertThat(db.urls).isEmpty();
    }

    @Test
    void getConnection_passesCredentialsTlsModeAndLoginTimeoutAsPropertiesNotInTheUrl() throws Exception {
        java.util.Properties extra = new java.util.Properties();
        extra.setProperty("password", "ignored");
        extra.setProperty("socketTimeout", "5000");
        SecretsManagerDataSource withProps = SecretsManagerDataSource.builder().secretId(ID).secretCache(cache)
                .connector(db).connectionProperties(extra).build();
        withProps.setLoginTimeout(7);

        withProps.getConnection().close();

        assertThat(db.urls).last().isEqualTo("jdbc:mysql://db.example:3306/shop");
        assertThat(db.lastProperties).containsEntry("user", "app").containsEntry("password", OLD)
                .containsEntry("sslMode", "DISABLED").containsEntry("connectTimeout", "7000")
                .containsEntry("socketTimeout", "5000");
    }

    @Test
    void connectionProperties_thatWouldChangeTls_areRefusedNamingTheProperty() {
        java.util.Properties downgrade = new java.util.Properties();
        downgrade.setProperty("sslmode", "prefer");

        assertThatThrownBy(() -> SecretsManagerDataSource.builder().connectionProperties(downgrade))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'sslmode'")
                .hasMessageContaining("caBundle");
    }

    @Test
    void getConnection_withUsernameAndPassword_isNotSupported() {
        assertThatThrownBy(() -> ds.getConnection("app", OLD)).isInstanceOf(SQLFeatureNotSupportedException.class)
                .hasMessageNotContaining(OLD);
    }

    @Test
    void toStringAndMetrics_neverShowThePassword() throws Exception {
        ds.getConnection().close();

        assertThat(ds.toString()).contains(ID).doesNotContain(OLD);
        assertThat(ds.metrics().toString()).doesNotContain(OLD);
        assertThat(cache.metrics().toString()).doesNotContain(OLD);
        assertThat(db.urls).noneMatch(u -> u.contains(OLD));
    }

    @Test
    void builder_withoutSecretId_failsClearly() {
        assertThatThrownBy(() -> SecretsManagerDataSource.builder().client(sm).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("secretId");
    }

    @Test
    void unwrap_returnsItselfForDataSource() throws Exception {
        assertThat(ds.isWrapperFor(javax.sql.DataSource.class)).isTrue();
        assertThat(ds.unwrap(SecretsManagerDataSource.class)).isSameAs(ds);
        assertThatThrownBy(() -> ds.unwrap(String.class)).isInstanceOf(SQLException.class);
    }
}
