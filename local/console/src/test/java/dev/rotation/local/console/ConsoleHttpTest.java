package dev.rotation.local.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotation.local.secretsmanager.AuditEvent;
import dev.rotation.local.secretsmanager.IamConfig;
import dev.rotation.local.secretsmanager.LocalSecretsManager;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The console over plain HTTP in front of a real local Secrets Manager: the headers every page carries,
 * the refusals of cross-site and token-less POSTs and foreign Host headers, values only on purpose, and
 * with access control the signed-in principal's policies.
 */
class ConsoleHttpTest {
    private static final String VALUE = "kept-out-of-pages-" + System.nanoTime();
    private LocalSecretsManager server;
    private final List<AuditEvent> audit = new CopyOnWriteArrayList<>();

    private URI start(IamConfig iam) {
        Console console = Console.create(List.of(), null);
        LocalSecretsManager.Builder b = LocalSecretsManager.builder().port(0).schedulerInterval(Duration.ZERO)
                .auditListener(console.auditListener()).auditListener(audit::add).webRoute(Console.PREFIX, console);
        if (iam != null) {
            b.iam(iam);
        }
        server = b.build().start();
        return server.endpoint();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String origin(URI endpoint) {
        return "Origin: http://" + endpoint.getHost() + ":" + endpoint.getPort();
    }

    /** A session: its cookie and CSRF token, from a first page. */
    private record Session(String cookie, String csrf) {
        List<String> headers(URI endpoint) {
            return List.of("Cookie: " + cookie, origin(endpoint));
        }
    }

    private static Session session(URI endpoint, String page) throws Exception {
        RawHttp.Answer a = RawHttp.send(endpoint, "GET", page, List.of(), null);
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.csrf()).isNotNull();
        return new Session(a.cookie(), a.csrf());
    }

    private static String create(URI endpoint, Session s, String name) throws Exception {
        RawHttp.Answer a = RawHttp.send(endpoint, "POST", "/console/new", s.headers(endpoint),
                "csrf=" + s.csrf() + "&type=plaintext&plaintext=" + VALUE + "&name=" + name);
        assertThat(a.status()).as(a.body()).isEqualTo(303);
        return a.header("location");
    }

    @Test
    void everyPage_carriesCspFrameDenialAndAStrictHttpOnlyCookie() throws Exception {
        URI endpoint = start(null);
        for (String page : List.of("/console", "/console/new", "/console/secret?id=none", "/console/nothing")) {
            RawHttp.Answer a = RawHttp.send(endpoint, "GET", page, List.of(), null);
            assertThat(a.header("content-security-policy")).as(page).contains("default-src 'none'", "script-src 'self'",
                    "frame-ancestors 'none'").doesNotContain("unsafe-inline");
            assertThat(a.header("x-frame-options")).isEqualTo("DENY");
            assertThat(a.header("cache-control")).isEqualTo("no-store");
            assertThat(a.header("set-cookie")).contains("HttpOnly", "SameSite=Strict", "Path=/console");
        }
        assertThat(RawHttp.send(endpoint, "GET", "/console/static/console.js", List.of(), null).status()).isEqualTo(200);
    }

    @Test
    void aForeignHostHeader_isRefusedBeforeTheConsole() throws Exception {
        URI endpoint = start(null);
        RawHttp.Answer a = RawHttp.send(endpoint, "GET", "/console", List.of("Host: rebound.example:" + endpoint.getPort()),
                null);
        assertThat(a.status()).isEqualTo(403);
        assertThat(a.body()).contains("Host header", "rebound.example");
    }

    @Test
    void statechangingPosts_withoutTheTokenOrFromAnotherOrigin_areRefusedAndChangeNothing() throws Exception {
        URI endpoint = start(null);
        Session s = session(endpoint, "/console/new");
        String location = create(endpoint, s, "csrf/target");
        assertThat(location).startsWith("/console/secret?id=arn%3Aaws%3Asecretsmanager");
        String arn = java.net.URLDecoder.decode(location.substring(location.indexOf('=') + 1), "UTF-8");
        String delete = "do=delete&recoveryDays=7&id=" + Console.url(arn);
        List<List<String>> refused = List.of(
                List.of("Cookie: " + s.cookie(), "Origin: http://evil.example"),
                List.of("Cookie: " + s.cookie(), "Origin: null"),
                List.of("Cookie: " + s.cookie()),
                List.of("Cookie: " + s.cookie(), origin(endpoint), "Sec-Fetch-Site: cross-site"));
        for (List<String> headers : refused) {
            RawHttp.Answer a = RawHttp.send(endpoint, "POST", "/console/action", headers, "csrf=" + s.csrf() + "&" + delete);
            assertThat(a.status()).as("%s", headers).isEqualTo(403);
            assertThat(a.body()).startsWith("Refused");
        }
        // The right origin, but no token, a wrong one, or another session's.
        Session other = session(endpoint, "/console/new");
        for (String token : List.of("", "csrf=00&", "csrf=" + other.csrf() + "&")) {
            RawHttp.Answer a = RawHttp.send(endpoint, "POST", "/console/action", s.headers(endpoint), token + delete);
            assertThat(a.status()).as(token).isEqualTo(403);
            assertThat(a.body()).contains("CSRF token");
        }
        assertThat(audit).noneMatch(e -> e.eventName().equals("DeleteSecret"));
        RawHttp.Answer ok = RawHttp.send(endpoint, "POST", "/console/action", s.headers(endpoint),
                "csrf=" + s.csrf() + "&" + delete);
        assertThat(ok.status()).isEqualTo(303);
        assertThat(audit).anyMatch(e -> e.eventName().equals("DeleteSecret") && e.errorCode().isEmpty());
    }

    @Test
    void theValue_isInNoPageOnlyInTheRetrieveAnswer_whichTheAuditTrailRecords() throws Exception {
        URI endpoint = start(null);
        Session s = session(endpoint, "/console/new");
        String location = create(endpoint, s, "value/here");
        String arn = java.net.URLDecoder.decode(location.substring(location.indexOf('=') + 1), "UTF-8");
        for (String page : List.of("/console", location, "/console/new", "/console?key=name&value=value")) {
            RawHttp.Answer a = RawHttp.send(endpoint, "GET", page, List.of("Cookie: " + s.cookie()), null);
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.body()).as(page).doesNotContain(VALUE);
        }
        assertThat(audit).noneMatch(e -> e.eventName().equals("GetSecretValue"));
        RawHttp.Answer value = RawHttp.send(endpoint, "POST", "/console/value", s.headers(endpoint),
                "csrf=" + s.csrf() + "&id=" + Console.url(arn));
        assertThat(value.status()).isEqualTo(200);
        assertThat(value.body()).contains(VALUE);
        assertThat(value.header("cache-control")).isEqualTo("no-store");
        assertThat(audit).filteredOn(e -> e.eventName().equals("GetSecretValue")).singleElement()
                .satisfies(e -> assertThat(e.json().path("userAgent").asText()).startsWith("local-console"));
        assertThat(audit).allSatisfy(e -> assertThat(e.toJson()).doesNotContain(VALUE));
    }

    @Test
    void theTimeline_drawsTheLabelledAndTheLatestDeprecatedVersions_theTableListsAll() throws Exception {
        URI endpoint = start(null);
        Session s = session(endpoint, "/console/new");
        String location = create(endpoint, s, "many/versions");
        for (int i = 0; i < 14; i++) {
            RawHttp.Answer put = RawHttp.send(endpoint, "POST", "/", List.of("X-Amz-Target: secretsmanager.PutSecretValue",
                    "Content-Type: application/x-amz-json-1.1"), null, "{\"SecretId\":\"many/versions\",\"SecretString\":\""
                    + VALUE + i + "\"}");
            assertThat(put.status()).as(put.body()).isEqualTo(200);
        }
        String page = RawHttp.send(endpoint, "GET", location, List.of("Cookie: " + s.cookie()), null).body();
        assertThat(page.split("<g class=\"row", -1)).hasSize(1 + 2 + Pages.MAX_DEPRECATED_DRAWN);
        assertThat(page.split("<tr class=\"version", -1)).hasSize(1 + 15);
        assertThat(page).contains("5 older deprecated versions are not drawn").doesNotContain(VALUE);
    }

    @Test
    void aRefusedStoreForm_namesTheProblem_keepsTheOtherFields_andSendsNoValueBack() throws Exception {
        URI endpoint = start(null);
        Session s = session(endpoint, "/console/new");
        for (String form : List.of(
                "type=database&engine=postgres&username=app&password=" + VALUE + "&name=db/one&k0=key&v0=" + VALUE,
                "type=keyvalue&k0=&v0=" + VALUE + "&name=kv/one",
                "type=database&engine=postgres&host=h&port=99999&username=app&password=" + VALUE + "&name=db/two")) {
            RawHttp.Answer a = RawHttp.send(endpoint, "POST", "/console/new", s.headers(endpoint), "csrf=" + s.csrf() + "&"
                    + form);
            assertThat(a.status()).as(form).isEqualTo(400);
            assertThat(a.body()).containsAnyOf("Host is required.", "Give at least one key/value pair.",
                    "Port must be 1 to 65535, got 99999.").doesNotContain(VALUE);
            assertThat(a.body()).contains("value=\"" + form.substring(form.indexOf("&name=") + 6).split("&")[0] + "\"");
        }
        assertThat(audit).noneMatch(e -> e.eventName().equals("CreateSecret"));
    }

    @Test
    void withAccessControl_theConsoleActsAsTheSignedInKey_underItsPolicies() throws Exception {
        String reader = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
                + "[\"secretsmanager:ListSecrets\",\"secretsmanager:DescribeSecret\",\"secretsmanager:CreateSecret\","
                + "\"secretsmanager:ListSecretVersionIds\",\"secretsmanager:GetResourcePolicy\"],\"Resource\":\"*\"}]}";
        URI endpoint = start(IamConfig.builder()
                .key("AKIAREADER0000000001", "reader-secret-key", "arn:aws:iam::123456789012:user/reader", List.of(reader))
                .build());
        RawHttp.Answer first = RawHttp.send(endpoint, "GET", "/console", List.of(), null);
        assertThat(first.status()).isEqualTo(303);
        assertThat(first.header("location")).isEqualTo("/console/login");
        Session s = session(endpoint, "/console/login");
        RawHttp.Answer wrong = RawHttp.send(endpoint, "POST", "/console/login", s.headers(endpoint),
                "csrf=" + s.csrf() + "&accessKeyId=AKIAREADER0000000001&secretAccessKey=guess");
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(wrong.body()).doesNotContain("guess").doesNotContain("reader-secret-key");
        RawHttp.Answer in = RawHttp.send(endpoint, "POST", "/console/login", s.headers(endpoint),
                "csrf=" + s.csrf() + "&accessKeyId=AKIAREADER0000000001&secretAccessKey=reader-secret-key");
        assertThat(in.status()).isEqualTo(303);
        String location = create(endpoint, s, "iam/secret");
        RawHttp.Answer page = RawHttp.send(endpoint, "GET", location, List.of("Cookie: " + s.cookie()), null);
        assertThat(page.body()).contains("arn:aws:iam::123456789012:user/reader", "iam/secret");
        String arn = java.net.URLDecoder.decode(location.substring(location.indexOf('=') + 1), "UTF-8");
        RawHttp.Answer value = RawHttp.send(endpoint, "POST", "/console/value", s.headers(endpoint),
                "csrf=" + s.csrf() + "&id=" + Console.url(arn));
        assertThat(value.status()).isEqualTo(400);
        assertThat(value.body()).contains("AccessDeniedException", "user/reader", "secretsmanager:GetSecretValue")
                .doesNotContain(VALUE);
        assertThat(audit).filteredOn(e -> e.eventName().equals("GetSecretValue")).singleElement()
                .satisfies(e -> {
                    assertThat(e.errorCode()).contains("AccessDeniedException");
                    assertThat(e.principalArn()).contains("arn:aws:iam::123456789012:user/reader");
                });
    }
}
