package dev.rotation.local.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rotation.local.secretsmanager.AuditEvent;
import dev.rotation.local.secretsmanager.AuditTrail;
import dev.rotation.local.secretsmanager.WebRoute;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The local Secrets Manager's web console, served at {@code /console} by {@code serve}: the secrets,
 * one secret's versions and labels over time and its rotations, and the actions of the service's console.
 *
 * <p>It reads and acts only through the server's own operations ({@link WebRoute.Api}), so the audit
 * trail records what it does (GetSecretValue when a value is retrieved on purpose) and, with access
 * control, a person signs in with one of the server's access keys and is subject to that principal's
 * policies. The history of labels and rotations comes from the audit trail ({@link #auditListener()}).
 *
 * <p>Security: every state-changing request is a POST that must carry the session's CSRF token and an
 * Origin header naming this server (the Host header itself is checked by the server before this is
 * reached); the session cookie is HttpOnly and SameSite=Strict; pages carry a Content-Security-Policy
 * that allows only this console's own script and style sheet, and X-Frame-Options DENY. No secret value
 * is ever written into a page, a URL or a log: a value reaches the browser only in the answer to
 * "Retrieve secret value", which is not cached.
 */
public final class Console implements WebRoute {
    public static final String PREFIX = "/console";
    static final String COOKIE = "sm-console";
    private static final int MAX_SESSIONS = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /** One browser's session: its CSRF token, the access key it signed in with, a message for the next page. */
    static final class Session {
        final String id;
        final String csrf;
        volatile String accessKeyId;
        volatile String flash;
        volatile boolean flashIsError;
        volatile long lastUsed = System.nanoTime();

        Session(String id, String csrf) {
            this.id = id;
            this.csrf = csrf;
        }
    }

    private final List<String> functions;
    private final History history = new History();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Pages pages;

    private Console(List<String> functions) {
        this.functions = List.copyOf(functions);
        this.pages = new Pages(this.functions, history);
    }

    /**
     * A console that offers {@code rotationFunctionArns} (the template's functions) for rotation, and
     * whose history starts with the events of {@code auditLog} if that file exists (null: none).
     */
    public static Console create(List<String> rotationFunctionArns, Path auditLog) {
        Console c = new Console(Objects.requireNonNull(rotationFunctionArns, "rotationFunctionArns"));
        if (auditLog != null && Files.isRegularFile(auditLog)) {
            try {
                c.history.load(AuditTrail.read(auditLog));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the audit log " + auditLog, e);
            }
        }
        return c;
    }

    /** Give this to {@code LocalSecretsManager.Builder.auditListener}: the console's history of labels and rotations. */
    public AuditTrail.Listener auditListener() {
        return history;
    }

    /** For tests: hands an event to the history as the server would. */
    void record(AuditEvent e) {
        history.onEvent(e);
    }

    // ---------------------------------------------------------------- HTTP

    @Override
    public Response handle(Request request, Api api) {
        String path = request.path();
        String method = request.method();
        if (path.startsWith(PREFIX + "/static/")) {
            return method.equals("GET") ? asset(path.substring((PREFIX + "/static/").length())) : notAllowed();
        }
        Session session = session(request);
        boolean fresh = session == null;
        if (fresh) {
            session = newSession();
        }
        Response r;
        if (method.equals("POST")) {
            String refused = crossSite(request, session, fresh);
            r = refused != null ? text(403, refused) : post(path, form(request), request, session, api);
        } else if (method.equals("GET") || method.equals("HEAD")) {
            r = get(path, query(request), request, session, api);
        } else {
            r = notAllowed();
        }
        Map<String, String> headers = new LinkedHashMap<>(r.headers());
        securityHeaders(headers);
        if (fresh) {
            headers.put("Set-Cookie", COOKIE + "=" + session.id + "; Path=" + PREFIX + "; HttpOnly; SameSite=Strict");
        }
        return new Response(r.status(), headers, method.equals("HEAD") ? new byte[0] : r.body());
    }

    /** Why a POST is refused as possibly cross-site, or null: Origin must name this server, the token must match. */
    static String crossSite(Request request, Session session, boolean freshSession) {
        String origin = request.header("origin");
        String host = request.header("host");
        if (origin == null || !origin.equals("http://" + host)) {
            return "Refused: a state-changing request must come from this console's own pages (its Origin header "
                    + "must be http://" + host + ", got " + (origin == null ? "none" : "'" + printable(origin) + "'")
                    + ").";
        }
        String site = request.header("sec-fetch-site");
        if (site != null && !site.equals("same-origin")) {
            return "Refused: the browser says this request comes from another site (Sec-Fetch-Site: "
                    + printable(site) + ").";
        }
        String token = formValue(request, "csrf");
        if (freshSession || token == null || !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                session.csrf.getBytes(StandardCharsets.UTF_8))) {
            return "Refused: the request does not carry this session's CSRF token; reload the page and try again.";
        }
        return null;
    }

    private Response get(String path, Map<String, String> q, Request request, Session session, Api api) {
        if (path.equals(PREFIX + "/login")) {
            return html(200, pages.login(session, null));
        }
        if (api.accessControl() && session.accessKeyId == null) {
            return redirect(PREFIX + "/login");
        }
        Caller caller = new Caller(api, session, request);
        return switch (path) {
            case PREFIX, PREFIX + "/" -> html(200, pages.list(caller, q));
            case PREFIX + "/secret" -> q.get("id") == null ? redirect(PREFIX) : html(200, pages.secret(caller, q.get("id")));
            case PREFIX + "/new" -> html(200, pages.newSecret(caller, Map.of(), null));
            default -> text(404, "No such page: " + printable(path));
        };
    }

    private Response post(String path, Map<String, String> f, Request request, Session session, Api api) {
        if (path.equals(PREFIX + "/login")) {
            String key = f.getOrDefault("accessKeyId", "").strip();
            if (!api.accessControl() || api.validKey(key, f.get("secretAccessKey"))) {
                session.accessKeyId = api.accessControl() ? key : null;
                return redirect(PREFIX);
            }
            return html(403, pages.login(session, "That access key id and secret access key are not one of this "
                    + "server's keys (serve --iam)."));
        }
        if (path.equals(PREFIX + "/logout")) {
            sessions.remove(session.id);
            return redirect(PREFIX + (api.accessControl() ? "/login" : ""));
        }
        if (api.accessControl() && session.accessKeyId == null) {
            return text(403, "Sign in first.");
        }
        Caller caller = new Caller(api, session, request);
        return switch (path) {
            case PREFIX + "/value" -> value(caller, f);
            case PREFIX + "/new" -> create(caller, f);
            case PREFIX + "/action" -> action(caller, f, session);
            default -> text(404, "No such action: " + printable(path));
        };
    }

    /** "Retrieve secret value": the one answer that carries a value, as JSON for the page's script; never cached. */
    private Response value(Caller caller, Map<String, String> f) {
        ObjectNode body = JSON.createObjectNode().put("SecretId", f.getOrDefault("id", ""));
        if (f.get("version") != null && !f.get("version").isBlank()) {
            body.put("VersionId", f.get("version"));
        }
        Caller.Answer a = caller.call("GetSecretValue", body);
        ObjectNode out = JSON.createObjectNode();
        if (a.ok()) {
            JsonNode v = a.json();
            out.put("versionId", v.path("VersionId").asText());
            if (v.has("SecretString")) {
                out.put("value", v.get("SecretString").asText());
            } else {
                out.put("binary", v.path("SecretBinary").asText());
            }
        } else {
            out.put("error", a.error());
        }
        try {
            return new Response(a.ok() ? 200 : 400, Map.of("Content-Type", "application/json; charset=utf-8"),
                    JSON.writeValueAsBytes(out));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Response create(Caller caller, Map<String, String> f) {
        Pages.NewSecret made;
        try {
            made = Pages.NewSecret.from(f, functions);
        } catch (IllegalArgumentException e) {
            return html(400, pages.newSecret(caller, f, e.getMessage()));
        }
        Caller.Answer a = caller.call("CreateSecret", made.request());
        if (!a.ok()) {
            return html(400, pages.newSecret(caller, f, a.error()));
        }
        String arn = a.json().path("ARN").asText();
        if (made.rotation() != null) {
            ObjectNode r = made.rotation().put("SecretId", arn);
            Caller.Answer rotated = caller.call("RotateSecret", r);
            caller.session().flash = rotated.ok() ? "Stored; rotation is turned on" + (r.path("RotateImmediately")
                    .asBoolean(true) ? " and a first rotation is running." : ".")
                    : "Stored, but turning rotation on failed: " + rotated.error();
            caller.session().flashIsError = !rotated.ok();
        } else {
            caller.session().flash = "Stored.";
            caller.session().flashIsError = false;
        }
        return redirect(PREFIX + "/secret?id=" + url(arn));
    }

    private Response action(Caller caller, Map<String, String> f, Session session) {
        String id = f.getOrDefault("id", "");
        String what = f.getOrDefault("do", "");
        ObjectNode body = JSON.createObjectNode().put("SecretId", id);
        String operation;
        String done;
        try {
            switch (what) {
                case "rotate" -> {
                    operation = "RotateSecret";
                    done = "Rotation started.";
                }
                case "cancel" -> {
                    operation = "CancelRotateSecret";
                    done = "Rotation cancelled: automatic rotation is off.";
                }
                case "schedule" -> {
                    operation = "RotateSecret";
                    Pages.NewSecret.rotationRequest(body, f, functions);
                    done = "Rotation schedule saved" + (body.path("RotateImmediately").asBoolean() ? "; a rotation is "
                            + "running." : " (the service tests it with testSecret).");
                }
                case "delete" -> {
                    operation = "DeleteSecret";
                    body.put("RecoveryWindowInDays", Pages.NewSecret.integer(f, "recoveryDays", "Recovery window"));
                    done = "Scheduled for deletion.";
                }
                case "restore" -> {
                    operation = "RestoreSecret";
                    done = "Restored.";
                }
                default -> {
                    return text(400, "Unknown action '" + printable(what) + "'.");
                }
            }
        } catch (IllegalArgumentException e) {
            session.flash = e.getMessage();
            session.flashIsError = true;
            return redirect(PREFIX + "/secret?id=" + url(id));
        }
        Caller.Answer a = caller.call(operation, body);
        session.flash = a.ok() ? done : a.error();
        session.flashIsError = !a.ok();
        return redirect(PREFIX + "/secret?id=" + url(id));
    }

    // ---------------------------------------------------------------- sessions and requests

    private Session session(Request request) {
        String cookies = request.header("cookie");
        if (cookies == null) {
            return null;
        }
        for (String c : cookies.split(";")) {
            String[] kv = c.strip().split("=", 2);
            if (kv.length == 2 && kv[0].equals(COOKIE)) {
                Session s = sessions.get(kv[1]);
                if (s != null) {
                    s.lastUsed = System.nanoTime();
                    return s;
                }
            }
        }
        return null;
    }

    private Session newSession() {
        if (sessions.size() >= MAX_SESSIONS) {
            sessions.values().stream().min((a, b) -> Long.compare(a.lastUsed, b.lastUsed))
                    .ifPresent(oldest -> sessions.remove(oldest.id));
        }
        Session s = new Session(random(), random());
        sessions.put(s.id, s);
        return s;
    }

    private static String random() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    static Map<String, String> query(Request request) {
        return decode(request.query());
    }

    static Map<String, String> form(Request request) {
        String type = request.header("content-type");
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            return Map.of();
        }
        return decode(new String(request.body(), StandardCharsets.UTF_8));
    }

    private static String formValue(Request request, String name) {
        return form(request).get(name);
    }

    /** name=value pairs; a repeated name keeps its first value. */
    static Map<String, String> decode(String s) {
        Map<String, String> m = new LinkedHashMap<>();
        if (s == null || s.isEmpty()) {
            return m;
        }
        for (String pair : s.split("&")) {
            int eq = pair.indexOf('=');
            try {
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                m.putIfAbsent(k, v);
            } catch (IllegalArgumentException e) {
                // a malformed escape: the pair is dropped (its text may be a value; it is not quoted back)
            }
        }
        return m;
    }

    static String url(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(200).forEach(c -> b.append(c < 0x20 || c == 0x7f ? '?' : Character.toString(c)));
        return b.toString();
    }

    // ---------------------------------------------------------------- responses

    static void securityHeaders(Map<String, String> h) {
        h.put("Content-Security-Policy", CSP);
        h.put("X-Frame-Options", "DENY");
        h.put("X-Content-Type-Options", "nosniff");
        // same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on the console's own forms.
        h.put("Referrer-Policy", "same-origin");
        h.put("Cross-Origin-Opener-Policy", "same-origin");
        h.put("Cross-Origin-Resource-Policy", "same-origin");
        h.putIfAbsent("Cache-Control", "no-store");
    }

    private static Response html(int status, String page) {
        return new Response(status, Map.of("Content-Type", "text/html; charset=utf-8"),
                page.getBytes(StandardCharsets.UTF_8));
    }

    private static Response text(int status, String message) {
        return new Response(status, Map.of("Content-Type", "text/plain; charset=utf-8"),
                message.getBytes(StandardCharsets.UTF_8));
    }

    private static Response redirect(String location) {
        return new Response(303, Map.of("Location", location), new byte[0]);
    }

    private static Response notAllowed() {
        return text(405, "Method not allowed.");
    }

    private static Response asset(String name) {
        String type = switch (name) {
            case "console.css" -> "text/css; charset=utf-8";
            case "console.js" -> "text/javascript; charset=utf-8";
            default -> null;
        };
        if (type == null) {
            return text(404, "No such file.");
        }
        try (InputStream in = Console.class.getResourceAsStream(name)) {
            Map<String, String> h = new LinkedHashMap<>();
            h.put("Content-Type", type);
            h.put("Cache-Control", "no-cache");
            return new Response(200, h, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- calling the API

    /** Calls the API as the session's principal, from the browser's request. */
    record Caller(Api api, Session session, Request request) {
        record Answer(int status, JsonNode json) {
            boolean ok() {
                return status == 200;
            }

            /** The service's error as "Type: message" (its messages never hold a secret value). */
            String error() {
                return json.path("__type").asText("Error") + ": " + json.path("message").asText("");
            }
        }

        Answer call(String operation, JsonNode body) {
            Result r;
            try {
                r = api.call(operation, JSON.writeValueAsBytes(body), session.accessKeyId, request);
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
            try {
                return new Answer(r.status(), JSON.readTree(r.body()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String principal() {
            return session.accessKeyId == null ? null : api.principalOf(session.accessKeyId);
        }

        /** The flash message for this page, once. */
        String[] takeFlash() {
            String f = session.flash;
            session.flash = null;
            return f == null ? null : new String[] {f, session.flashIsError ? "error" : "ok"};
        }
    }

    static ArrayNode array() {
        return JSON.createArrayNode();
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }
}
