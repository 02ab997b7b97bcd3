package dev.rotation.local.secretsmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * What the server does with hostile or broken clients on its socket: where it may listen, how long a
 * request may take to arrive, what happens to a body over the limit and to a Host header that names
 * another site (DNS rebinding), and that clients stalled half-way cannot hold up the others.
 */
class HttpHardeningIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "hardening-secret-value-42";

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private LocalSecretsManager start(LocalSecretsManager.Builder builder) {
        LocalSecretsManager server = builder.schedulerInterval(Duration.ZERO).build().start();
        toClose.add(server);
        return server;
    }

    private RawHttp connect(URI endpoint) throws Exception {
        RawHttp c = new RawHttp(endpoint);
        toClose.add(c);
        return c;
    }

    private static String hostOf(LocalSecretsManager server) {
        return "127.0.0.1:" + server.endpoint().getPort();
    }

    /** An SDK client that gives up after a bound, so a server that never answers fails the test. */
    private SecretsManagerClient sdk(URI endpoint) {
        SecretsManagerClient sm = SecretsManagerClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLOCAL", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD)
                        .apiCallTimeout(Duration.ofSeconds(15)))
                .build();
        toClose.add(sm);
        return sm;
    }

    private static JsonNode json(RawHttp.Answer a) throws Exception {
        return JSON.readTree(a.body());
    }

    // ---------------------------------------------------------------- where it listens

    @Test
    void build_withNonLoopbackHostWithoutAllowRemote_isRefusedNamingTheProblem() {
        for (String host : List.of("0.0.0.0", "::", "192.0.2.10")) {
            assertThatThrownBy(() -> LocalSecretsManager.builder().host(host).port(0).build())
                    .as(host)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(host)
                    .hasMessageContaining("not a loopback address")
                    .hasMessageContaining("unauthenticated")
                    .hasMessageContaining("allowRemote");
        }
    }

    @Test
    void start_withLoopbackHosts_needsNoAllowRemote() {
        for (String host : List.of("127.0.0.1", "localhost", "::1")) {
            LocalSecretsManager server = start(LocalSecretsManager.builder().host(host).port(0));
            SecretsManagerClient sm = sdk(server.endpoint());
            sm.createSecret(r -> r.name("loop").secretString(SECRET));
            assertThat(sm.getSecretValue(r -> r.secretId("loop")).secretString()).isEqualTo(SECRET);
        }
    }

    @Test
    void start_withAllowRemoteOnTheWildcard_servesAndAdvertisesLoopback() {
        LocalSecretsManager server = start(LocalSecretsManager.builder().host("0.0.0.0").allowRemote(true).port(0));
        assertThat(server.endpoint().getHost()).isEqualTo("127.0.0.1");
        SecretsManagerClient sm = sdk(server.endpoint());
        sm.createSecret(r -> r.name("remote").secretString(SECRET));
        assertThat(sm.getSecretValue(r -> r.secretId("remote")).secretString()).isEqualTo(SECRET);
    }

    // ---------------------------------------------------------------- Host header (DNS rebinding)

    @Test
    void hostHeader_namingAnotherSite_isRefusedWithAccessDenied() throws Exception {
        LocalSecretsManager server = start(LocalSecretsManager.builder().port(0));
        sdk(server.endpoint()).createSecret(r -> r.name("h").secretString(SECRET));
        int port = server.endpoint().getPort();
        for (String host : List.of("evil.example:" + port, "evil.example", "0.0.0.0:" + port, "10.1.2.3:" + port,
                "localhost.evil.example:" + port, "127.0.0.1.nip.io:" + port, "[::]:" + port, "")) {
            RawHttp.Answer a = connect(server.endpoint())
                    .send(RawHttp.request(host, "GetSecretValue", "{\"SecretId\":\"h\"}")).read();
            assertThat(a.status()).as(host).isEqualTo(403);
            assertThat(json(a).path("__type").asText()).as(host).isEqualTo("AccessDeniedException");
            assertThat(json(a).path("message").asText()).as(host).contains("Host");
            assertThat(a.body()).as(host).doesNotContain(SECRET);
            assertThat(a.header("x-amzn-RequestId")).as(host).isNotNull();
        }
        RawHttp.Answer missing = connect(server.endpoint())
                .send(RawHttp.request(null, "GetSecretValue", "{\"SecretId\":\"h\"}")).read();
        assertThat(missing.status()).isEqualTo(400);
        assertThat(json(missing).path("message").asText()).contains("Host");
        assertThat(missing.body()).doesNotContain(SECRET);
    }

    @Test
    void hostHeader_namingThisServer_isServed() throws Exception {
        LocalSecretsManager server = start(LocalSecretsManager.builder().port(0));
        sdk(server.endpoint()).createSecret(r -> r.name("h").secretString(SECRET));
        int port = server.endpoint().getPort();
        for (String host : List.of("127.0.0.1:" + port, "127.0.0.1", "localhost:" + port, "LocalHost:" + port,
                "localhost", "[::1]:" + port)) {
            RawHttp.Answer a = connect(server.endpoint())
                    .send(RawHttp.request(host, "GetSecretValue", "{\"SecretId\":\"h\"}")).read();
            assertThat(a.status()).as(host).isEqualTo(200);
            assertThat(json(a).path("SecretString").asText()).as(host).isEqualTo(SECRET);
        }
    }

    @Test
    void sdkClient_throughLocalhostUrl_isServed() {
        LocalSecretsManager server = start(LocalSecretsManager.builder().port(0));
        SecretsManagerClient sm = sdk(URI.create("http://localhost:" + server.endpoint().getPort()));
        sm.createSecret(r -> r.name("via-localhost").secretString(SECRET));
        assertThat(sm.getSecretValue(r -> r.secretId("via-localhost")).secretString()).isEqualTo(SECRET);
    }

    @Test
    void hostHeader_withAllowedHost_isServedAndOtherNamesStillRefused() throws Exception {
        LocalSecretsManager server = start(LocalSecretsManager.builder().port(0).allowedHost("devbox.internal"));
        int port = server.endpoint().getPort();
        assertThat(connect(server.endpoint()).send(RawHttp.request("DevBox.Internal:" + port, "GetRandomPassword",
                "{}")).read().status()).isEqualTo(200);
        assertThat(connect(server.endpoint()).send(RawHttp.request("other.internal:" + port, "GetRandomPassword",
                "{}")).read().status()).isEqualTo(403);
    }

    @Test
    void hostHeader_withAllowRemote_acceptsAnyAddressButNoUnlistedName() throws Exception {
        LocalSecretsManager server = start(LocalSecretsManager.builder().host("0.0.0.0").allowRemote(true).port(0));
        int port = server.endpoint().getPort();
        for (String host : List.of("192.0.2.7:" + port, "[2001:db8::7]:" + port, "localhost:" + port)) {
            assertThat(connect(server.endpoint()).send(RawHttp.request(host, "GetRandomPassword", "{}")).read()
                    .status()).as(host).isEqualTo(200);
        }
        assertThat(connect(server.endpoint()).send(RawHttp.request("evil.example:" + port, "GetRandomPassword",
                "{}")).read().status()).isEqualTo(403);
    }

    // ---------------------------------------------------------------- slow and stalled clients

    @Test
    void stalledRequest_isAnsweredWithTimeoutAndClosedAfterTheReadLimit() throws Exception {
        LocalSecretsManager server = start(LocalSecretsManager.builder().port(0)
                .requestReadTimeout(Duration.ofMillis(300)));
        String host = hostOf(server);
        List<String> partials = List.of(
                "POST / HTTP/1.1\r\nHost: " + host + "\r\nContent-Le",
                RawHttp.head(host, "CreateSecret", 100) + "{\"Name\":\"never\",");
        for (String partial : partials) {
            RawHttp c = connect(server.endpoint()).send(partial);
            RawHttp.Answer a = c.read();
            assertThat(a.status()).isEqualTo(408);
            assertThat(json(a).path("__type").asText()).isEqualTo("RequestTimeoutException");
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(sdk(server.endpoint()).listSecrets(r -> { }).secretList()).isEmpty();
    }

    @Test
    void idleConnection_isClosedAfterTheReadLimit() throws Exception {
        LocalSecretsManager server = start(LocalSecretsManager.builder().port(0)
                .requestReadTimeout(Duration.ofMillis(300)));
        assertThat(connect(server.endpoint()).closedByServer()).isTrue();
    }

    @Test
    void twoHundredStalledClients_doNotHoldUpAnSdkClient() throws Exception {
        // The read limit is far longer than the test, so the stalled clients stay stalled throughout.
        LocalSecretsManager server = start(LocalSecretsManager.builder().port(0)
                .requestReadTimeout(Duration.ofMinutes(5)));
        String host = hostOf(server);
        List<RawHttp> midHeaders = new ArrayList<>();
        List<RawHttp> midBody = new ArrayList<>();
        // 200 connections that stop mid-request (100 in the headers, 100 in the body), against 8 workers.
        for (int i = 0; i < 100; i++) {
            midHeaders.add(connect(server.endpoint()).send("POST / HTTP/1.1\r\nHost: " + host
                    + "\r\nX-Amz-Target: secretsmanager.GetRandomPassword\r\n"));
            String body = "{\"Name\":\"stalled-" + i + "\",\"SecretString\":\"" + SECRET + "\"}";
            midBody.add(connect(server.endpoint()).send(RawHttp.head(host, "CreateSecret", body.length())
                    + body.substring(0, 10)));
        }

        SecretsManagerClient sm = sdk(server.endpoint());
        for (int i = 0; i < 20; i++) {
            String name = "fresh-" + i;
            sm.createSecret(r -> r.name(name).secretString(SECRET));
            assertThat(sm.getSecretValue(r -> r.secretId(name)).secretString()).isEqualTo(SECRET);
        }

        // The stalled clients were still connected and mid-request all along: finishing now, each is answered.
        for (RawHttp c : midHeaders) {
            RawHttp.Answer a = c.send("Content-Length: 2\r\n\r\n{}").read();
            assertThat(a.status()).isEqualTo(200);
            assertThat(json(a).path("RandomPassword").asText()).hasSize(32);
        }
        for (int i = 0; i < midBody.size(); i++) {
            String body = "{\"Name\":\"stalled-" + i + "\",\"SecretString\":\"" + SECRET + "\"}";
            assertThat(midBody.get(i).send(body.substring(10)).read().status()).isEqualTo(200);
        }
        assertThat(sm.getSecretValue(r -> r.secretId("stalled-99")).secretString()).isEqualTo(SECRET);
    }

    // ---------------------------------------------------------------- oversized bodies

    @Test
    void oversizedBody_isRefusedBeforeItArrivesAndTheConnectionCloses() throws Exception {
        LocalSecretsManager server = start(LocalSecretsManager.builder().port(0)
                .requestReadTimeout(Duration.ofMinutes(5)));
        // 100 MB announced, 1 KB sent: an answer can only come without waiting for the rest.
        RawHttp c = connect(server.endpoint()).send(RawHttp.head(hostOf(server), "PutSecretValue", 100_000_000)
                + "{\"SecretId\":\"x\",\"SecretString\":\"" + "z".repeat(1000));
        RawHttp.Answer a = c.read();
        assertThat(a.status()).isEqualTo(400);
        assertThat(json(a).path("__type").asText()).isEqualTo("SerializationException");
        assertThat(json(a).path("message").asText()).contains("1048576");
        assertThat(a.header("Connection")).isEqualToIgnoringCase("close");
        assertThat(c.closedByServer()).isTrue();
        assertThat(sdk(server.endpoint()).getRandomPassword(r -> { }).randomPassword()).hasSize(32);
    }
}
