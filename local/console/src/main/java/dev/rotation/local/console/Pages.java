package dev.rotation.local.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The console's pages, rendered on the server from the API's answers; no page ever holds a secret value. */
final class Pages {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> FILTER_KEYS = List.of("name", "tag-key", "tag-value", "description", "all");
    static final List<String> ENGINES = List.of("postgres", "mysql", "mariadb", "aurora-postgresql", "aurora-mysql");
    private static final Set<String> BAD = Set.of("FAILED", "TEST_FAILED", "ABANDONED");
    static final int MAX_DEPRECATED_DRAWN = 8;

    private final List<String> functions;
    private final History history;

    Pages(List<String> functions, History history) {
        this.functions = functions;
        this.history = history;
    }

    // ---------------------------------------------------------------- secrets

    String list(Console.Caller c, Map<String, String> q) {
        String key = FILTER_KEYS.contains(q.getOrDefault("key", "")) ? q.get("key") : "name";
        String value = q.getOrDefault("value", "").strip();
        boolean deleted = "on".equals(q.get("deleted"));
        Html h = Html.page("Secrets", c.session().csrf, c.principal());
        flash(h, c);
        h.raw("<h1>Secrets</h1><form class=\"filter\" method=\"get\" action=\"/console\"><label>Filter <select name=\"key\">");
        for (String k : FILTER_KEYS) {
            h.raw("<option").raw(k.equals(key) ? " selected" : "").raw(">").text(k).raw("</option>");
        }
        h.raw("</select></label> <input name=\"value\" id=\"filter-value\" placeholder=\"prefix, or !prefix to exclude\" value=\"")
                .text(value).raw("\"> <label><input type=\"checkbox\" name=\"deleted\"").raw(deleted ? " checked" : "")
                .raw("> scheduled for deletion too</label> <button type=\"submit\">Filter</button></form>");
        List<JsonNode> secrets = new ArrayList<>();
        String next = null;
        String error = null;
        do {
            ObjectNode body = Console.object().put("MaxResults", 100).put("IncludePlannedDeletion", deleted);
            if (!value.isEmpty()) {
                body.putArray("Filters").addObject().put("Key", key).putArray("Values").add(value);
            }
            if (next != null) {
                body.put("NextToken", next);
            }
            Console.Caller.Answer a = c.call("ListSecrets", body);
            if (!a.ok()) {
                error = a.error();
                break;
            }
            a.json().path("SecretList").forEach(secrets::add);
            next = a.json().path("NextToken").asText(null);
        } while (next != null && secrets.size() < 1000);
        if (error != null) {
            return h.raw("<p class=\"error\">").text(error).raw("</p>").end();
        }
        if (secrets.isEmpty()) {
            return h.raw("<p class=\"empty\">No secrets").text(value.isEmpty() ? "" : " match").raw(". <a href=\"/console/new\">"
                    + "Store a new secret</a>.</p>").end();
        }
        h.raw("<table class=\"secrets\"><thead><tr><th>Name</th><th>Description</th><th>Last changed</th><th>Rotation</th>"
                + "<th>Last rotated</th><th>Next rotation</th><th>Last rotation</th></tr></thead><tbody>");
        for (JsonNode s : secrets) {
            String arn = s.path("ARN").asText();
            String outcome = outcome(s, arn);
            h.raw("<tr class=\"secret").raw(bad(outcome) ? " bad" : "").raw("\" data-name=\"").text(s.path("Name").asText())
                    .raw("\"><td><a href=\"/console/secret?id=").text(Console.url(arn)).raw("\">").text(s.path("Name").asText())
                    .raw("</a>");
            if (s.has("DeletedDate")) {
                h.raw(" <span class=\"badge bad\">scheduled for deletion</span>");
            }
            h.raw("</td><td>").text(s.path("Description").asText("")).raw("</td><td>").time(date(s, "LastChangedDate"))
                    .raw("</td><td>").text(rotation(s)).raw("</td><td>").time(date(s, "LastRotatedDate")).raw("</td><td>")
                    .time(date(s, "NextRotationDate")).raw("</td><td>");
            badge(h, outcome, s.path("LocalRotationStatus").path("Reason").asText(null));
            h.raw("</td></tr>");
        }
        return h.raw("</tbody></table>").end();
    }

    /** The last rotation's outcome: the server's status, or ABANDONED when the trail says so. */
    private String outcome(JsonNode s, String arn) {
        JsonNode st = s.path("LocalRotationStatus");
        String status = st.path("Status").asText(null);
        List<History.Rotation> rotations = history.rotations(arn);
        if (!rotations.isEmpty()) {
            History.Rotation last = rotations.get(0);
            if (last.outcome.equals("ABANDONED") && (status == null || last.version.equals(st.path("VersionId").asText()))) {
                return "ABANDONED";
            }
            if (status == null) {
                return last.outcome;
            }
        }
        return status;
    }

    private static boolean bad(String outcome) {
        return outcome != null && BAD.contains(outcome);
    }

    private static void badge(Html h, String outcome, String reason) {
        if (outcome == null) {
            h.raw("—");
            return;
        }
        String cls = bad(outcome) ? "bad" : outcome.contains("SUCCEEDED") ? "good" : "neutral";
        h.raw("<span class=\"badge outcome ").raw(cls).raw("\" data-outcome=\"").text(outcome).raw("\"");
        if (reason != null) {
            h.raw(" title=\"").text(reason).raw("\"");
        }
        h.raw(">").text(outcome.replace('_', ' ').toLowerCase(java.util.Locale.ROOT)).raw("</span>");
    }

    private static String rotation(JsonNode s) {
        if (!s.path("RotationEnabled").asBoolean(false)) {
            return "off";
        }
        JsonNode r = s.path("RotationRules");
        String schedule = r.has("ScheduleExpression") ? r.get("ScheduleExpression").asText()
                : r.has("AutomaticallyAfterDays") ? "every " + r.get("AutomaticallyAfterDays").asText() + " days" : "on";
        return "on, " + schedule + (r.has("Duration") ? " (window " + r.get("Duration").asText() + ")" : "");
    }

    private static Instant date(JsonNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || !n.isNumber()) {
            return null;
        }
        BigDecimal seconds = n.decimalValue();
        return Instant.ofEpochMilli(seconds.movePointRight(3).longValue());
    }

    // ---------------------------------------------------------------- one secret

    String secret(Console.Caller c, String id) {
        Html h = Html.page(id, c.session().csrf, c.principal());
        flash(h, c);
        Console.Caller.Answer d = c.call("DescribeSecret", Console.object().put("SecretId", id));
        if (!d.ok()) {
            return h.raw("<h1>").text(id).raw("</h1><p class=\"error\">").text(d.error()).raw("</p>").end();
        }
        JsonNode s = d.json();
        String arn = s.path("ARN").asText();
        String csrf = c.session().csrf;
        boolean deleted = s.has("DeletedDate");
        h.raw("<h1>").text(s.path("Name").asText()).raw("</h1><p class=\"arn\">").text(arn).raw("</p>");
        if (s.has("Description")) {
            h.raw("<p>").text(s.get("Description").asText()).raw("</p>");
        }
        if (deleted) {
            h.raw("<p class=\"error\" id=\"deletion\">Scheduled for deletion (since ").time(date(s, "DeletedDate"))
                    .raw("). Restore it to use it again.</p>");
        }
        h.raw("<dl class=\"facts\"><dt>Last changed</dt><dd>").time(date(s, "LastChangedDate")).raw("</dd><dt>Last accessed</dt><dd>")
                .time(date(s, "LastAccessedDate")).raw("</dd><dt>Rotation</dt><dd>").text(rotation(s)).raw("</dd>");
        if (s.has("RotationLambdaARN")) {
            h.raw("<dt>Rotation function</dt><dd>").text(s.get("RotationLambdaARN").asText()).raw("</dd>");
        }
        h.raw("<dt>Last rotated</dt><dd>").time(date(s, "LastRotatedDate")).raw("</dd><dt>Next rotation</dt><dd>")
                .time(date(s, "NextRotationDate")).raw("</dd><dt>Last rotation</dt><dd id=\"last-outcome\">");
        JsonNode st = s.path("LocalRotationStatus");
        badge(h, outcome(s, arn), null);
        if (st.has("Reason")) {
            h.raw(" <span class=\"reason\">").text("at " + st.path("Step").asText("?") + " after "
                    + st.path("Attempts").asText() + " attempt(s): " + st.get("Reason").asText()).raw("</span>");
        }
        h.raw("</dd></dl>");

        // Retrieve secret value: fetched by the script on click; the page itself never holds it.
        h.raw("<section class=\"value\"><h2>Secret value</h2><form id=\"retrieve\" method=\"post\" action=\"/console/value\">")
                .csrf(csrf).raw("<input type=\"hidden\" name=\"id\" value=\"").text(arn)
                .raw("\"><button type=\"submit\" id=\"retrieve-button\">Retrieve secret value</button> "
                        + "<button type=\"button\" id=\"hide-button\" hidden>Hide</button></form>"
                        + "<pre id=\"secret-value\" class=\"masked\" aria-live=\"polite\"></pre></section>");

        h.raw("<section class=\"actions\"><h2>Actions</h2>");
        if (deleted) {
            action(h, csrf, arn, "restore", "Restore secret", "");
        } else {
            if (s.path("RotationEnabled").asBoolean(false) || s.has("RotationLambdaARN")) {
                action(h, csrf, arn, "rotate", "Rotate secret immediately", "");
            }
            if (s.path("RotationEnabled").asBoolean(false)) {
                action(h, csrf, arn, "cancel", "Cancel rotation", "");
            }
            h.raw("<details><summary>Edit rotation</summary><form method=\"post\" action=\"/console/action\" id=\"schedule\">")
                    .csrf(csrf).raw("<input type=\"hidden\" name=\"do\" value=\"schedule\"><input type=\"hidden\" name=\"id\" value=\"")
                    .text(arn).raw("\">");
            rotationFields(h, Map.of("function", s.path("RotationLambdaARN").asText(""),
                    "days", s.path("RotationRules").path("AutomaticallyAfterDays").asText(""),
                    "schedule", s.path("RotationRules").path("ScheduleExpression").asText(""),
                    "window", s.path("RotationRules").path("Duration").asText("")), false);
            h.raw("<button type=\"submit\">Save rotation</button></form></details>");
            h.raw("<details><summary>Delete secret</summary><form method=\"post\" action=\"/console/action\" id=\"delete\">")
                    .csrf(csrf).raw("<input type=\"hidden\" name=\"do\" value=\"delete\"><input type=\"hidden\" name=\"id\" value=\"")
                    .text(arn).raw("\"><label>Recovery window (7–30 days) <input name=\"recoveryDays\" type=\"number\" min=\"7\" "
                            + "max=\"30\" value=\"30\"></label> <button type=\"submit\" class=\"danger\">Schedule deletion</button>"
                            + "</form></details>");
        }
        h.raw("</section>");

        // Versions and labels over time.
        Console.Caller.Answer v = c.call("ListSecretVersionIds", Console.object().put("SecretId", arn)
                .put("IncludeDeprecated", true).put("MaxResults", 100));
        List<Timeline.Version> versions = new ArrayList<>();
        if (v.ok()) {
            for (JsonNode x : v.json().path("Versions")) {
                List<String> labels = new ArrayList<>();
                x.path("VersionStages").forEach(l -> labels.add(l.asText()));
                versions.add(new Timeline.Version(x.path("VersionId").asText(), labels, date(x, "CreatedDate")));
            }
            versions.sort((a, b) -> b.created().compareTo(a.created()));
        }
        h.raw("<section><h2>Versions</h2>");
        if (!v.ok()) {
            h.raw("<p class=\"error\">").text(v.error()).raw("</p>");
        } else {
            // The service keeps up to 100 deprecated versions: the picture shows the labelled ones and the
            // latest deprecated ones; the table below lists them all.
            List<Timeline.Version> drawn = new ArrayList<>();
            int deprecated = 0;
            for (Timeline.Version x : versions) {
                if (!x.labels().isEmpty() || deprecated++ < MAX_DEPRECATED_DRAWN) {
                    drawn.add(x);
                }
            }
            h.raw(Timeline.svg(drawn, history.spans(arn).stream().filter(sp -> drawn.stream()
                    .anyMatch(x -> x.id().equals(sp.version()))).toList(), Instant.now()));
            if (drawn.size() < versions.size()) {
                h.raw("<p class=\"empty\">").text((versions.size() - drawn.size()) + " older deprecated versions are "
                        + "not drawn.").raw("</p>");
            }
            h.raw("<table class=\"versions\"><thead><tr><th>Version</th><th>Labels</th><th>Created</th></tr></thead><tbody>");
            for (Timeline.Version x : versions) {
                h.raw("<tr class=\"version").raw(x.labels().isEmpty() ? " deprecated" : "").raw("\" data-version=\"").text(x.id())
                        .raw("\"><td><code>").text(x.id()).raw("</code></td><td>")
                        .text(x.labels().isEmpty() ? "deprecated" : String.join(", ", x.labels())).raw("</td><td>")
                        .time(x.created()).raw("</td></tr>");
            }
            h.raw("</tbody></table>");
        }
        h.raw("</section>");

        rotations(h, history.rotations(arn));

        h.raw("<section><h2>Tags</h2>");
        if (s.path("Tags").isEmpty()) {
            h.raw("<p class=\"empty\">No tags.</p>");
        } else {
            h.raw("<table class=\"tags\"><tbody>");
            s.path("Tags").forEach(t -> h.raw("<tr><th>").text(t.path("Key").asText()).raw("</th><td>")
                    .text(t.path("Value").asText()).raw("</td></tr>"));
            h.raw("</tbody></table>");
        }
        h.raw("</section><section><h2>Resource policy</h2>");
        Console.Caller.Answer p = c.call("GetResourcePolicy", Console.object().put("SecretId", arn));
        if (!p.ok()) {
            h.raw("<p class=\"error\">").text(p.error()).raw("</p>");
        } else if (!p.json().has("ResourcePolicy")) {
            h.raw("<p class=\"empty\">None.</p>");
        } else {
            h.raw("<pre class=\"policy\">").text(pretty(p.json().get("ResourcePolicy").asText())).raw("</pre>");
        }
        return h.raw("</section>").end();
    }

    private static void rotations(Html h, List<History.Rotation> rotations) {
        h.raw("<section><h2>Rotation history</h2>");
        if (rotations.isEmpty()) {
            h.raw("<p class=\"empty\">No rotation in the audit trail.</p></section>");
            return;
        }
        h.raw("<table class=\"rotations\"><thead><tr><th>Started</th><th>Version</th><th>Steps</th><th>Took</th>"
                + "<th>Outcome</th></tr></thead><tbody>");
        for (History.Rotation r : rotations) {
            h.raw("<tr class=\"rotation").raw(bad(r.outcome) ? " bad" : "").raw("\" data-version=\"").text(r.version)
                    .raw("\" data-outcome=\"").text(r.outcome).raw("\"><td>").time(r.started).raw(r.test ? " (test)" : "")
                    .raw("</td><td><code>").text(Timeline.shortId(r.version)).raw("</code></td><td><ol class=\"steps\">");
            for (History.Step st : r.steps) {
                h.raw("<li class=\"").raw(st.failed() ? "failed" : "ok").raw("\">").text(st.step())
                        .text(st.duration() == null ? "" : " " + millis(st.duration())).raw(st.failed() ? " ✗" : " ✓")
                        .raw("</li>");
            }
            h.raw("</ol>").text(r.attempts > 1 ? r.attempts + " attempts" : "").raw("</td><td>")
                    .text(r.ended == null ? "—" : millis(Duration.between(r.started, r.ended))).raw("</td><td>");
            badge(h, r.outcome, null);
            h.raw("</td></tr>");
        }
        h.raw("</tbody></table></section>");
    }

    private static String millis(Duration d) {
        long ms = d.toMillis();
        return ms < 10_000 ? ms + " ms" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    private static void action(Html h, String csrf, String arn, String what, String label, String cls) {
        h.raw("<form class=\"inline\" method=\"post\" action=\"/console/action\" id=\"").text(what).raw("\">").csrf(csrf)
                .raw("<input type=\"hidden\" name=\"do\" value=\"").text(what).raw("\"><input type=\"hidden\" name=\"id\" value=\"")
                .text(arn).raw("\"><button type=\"submit\" class=\"").text(cls).raw("\">").text(label).raw("</button></form>");
    }

    private static String pretty(String json) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            return json;
        }
    }

    private void flash(Html h, Console.Caller c) {
        String[] f = c.takeFlash();
        if (f != null) {
            h.raw("<p class=\"flash ").raw(f[1]).raw("\" id=\"flash\">").text(f[0]).raw("</p>");
        }
    }

    // ---------------------------------------------------------------- store a new secret

    /**
     * The store form. {@code kept} refills it after a refusal, without any value field: what was typed as a
     * value or password is never sent back.
     */
    String newSecret(Console.Caller c, Map<String, String> kept, String error) {
        Html h = Html.page("Store a new secret", c.session().csrf, c.principal());
        h.raw("<h1>Store a new secret</h1>");
        if (error != null) {
            h.raw("<p class=\"flash error\" id=\"flash\">").text(error).raw("</p>");
        }
        String type = kept.getOrDefault("type", "database");
        h.raw("<form method=\"post\" action=\"/console/new\" id=\"new-secret\" autocomplete=\"off\">").csrf(c.session().csrf);
        h.raw("<fieldset><legend>Secret type</legend>");
        for (String[] t : new String[][] {{"database", "Credentials for a database"}, {"keyvalue", "Key/value pairs"},
                {"plaintext", "Plaintext"}}) {
            h.raw("<label><input type=\"radio\" name=\"type\" value=\"").raw(t[0]).raw("\"").raw(t[0].equals(type) ? " checked" : "")
                    .raw("> ").text(t[1]).raw("</label> ");
        }
        h.raw("</fieldset>");
        h.raw("<fieldset class=\"kind\" data-kind=\"database\"><legend>Credentials for a database</legend>");
        h.raw("<label>Engine <select name=\"engine\">");
        for (String e : ENGINES) {
            h.raw("<option").raw(e.equals(kept.getOrDefault("engine", "postgres")) ? " selected" : "").raw(">").text(e).raw("</option>");
        }
        h.raw("</select></label>");
        field(h, "Host", "host", "text", kept.getOrDefault("host", ""));
        field(h, "Port", "port", "number", kept.getOrDefault("port", ""));
        field(h, "User name", "username", "text", kept.getOrDefault("username", ""));
        field(h, "Password", "password", "password", "");
        field(h, "Database", "dbname", "text", kept.getOrDefault("dbname", ""));
        h.raw("<label>TLS <select name=\"ssl\">");
        for (String[] o : new String[][] {{"", "preferred (no ssl key)"}, {"true", "required (ssl: true)"},
                {"false", "off (ssl: false)"}}) {
            h.raw("<option value=\"").raw(o[0]).raw("\"").raw(o[0].equals(kept.getOrDefault("ssl", "")) ? " selected" : "")
                    .raw(">").text(o[1]).raw("</option>");
        }
        h.raw("</select></label></fieldset>");
        h.raw("<fieldset class=\"kind\" data-kind=\"keyvalue\"><legend>Key/value pairs</legend><div id=\"pairs\">");
        for (int i = 0; i < 4; i++) {
            h.raw("<div class=\"pair\"><input name=\"k").raw(String.valueOf(i)).raw("\" placeholder=\"key\" value=\"")
                    .text(kept.getOrDefault("k" + i, "")).raw("\"> <input name=\"v").raw(String.valueOf(i))
                    .raw("\" type=\"password\" placeholder=\"value\"></div>");
        }
        h.raw("</div></fieldset>");
        h.raw("<fieldset class=\"kind\" data-kind=\"plaintext\"><legend>Plaintext</legend><textarea name=\"plaintext\" rows=\"4\" "
                + "cols=\"60\"></textarea></fieldset>");
        h.raw("<fieldset><legend>Name</legend>");
        field(h, "Secret name", "name", "text", kept.getOrDefault("name", ""));
        field(h, "Description", "description", "text", kept.getOrDefault("description", ""));
        field(h, "Tags (key=value, comma separated)", "tags", "text", kept.getOrDefault("tags", ""));
        h.raw("</fieldset><fieldset><legend>Rotation (optional)</legend>");
        rotationFields(h, kept, true);
        h.raw("</fieldset><button type=\"submit\" id=\"store\">Store</button></form>");
        return h.end();
    }

    private void rotationFields(Html h, Map<String, String> kept, boolean optional) {
        String chosen = kept.getOrDefault("function", "");
        h.raw("<label>Rotation function <select name=\"function\">");
        if (optional) {
            h.raw("<option value=\"\">none: no automatic rotation</option>");
        }
        List<String> offered = new ArrayList<>(functions);
        if (!chosen.isEmpty() && !offered.contains(chosen)) {
            offered.add(chosen);
        }
        for (String f : offered) {
            h.raw("<option value=\"").text(f).raw("\"").raw(f.equals(chosen) ? " selected" : "").raw(">")
                    .text(f.substring(f.lastIndexOf(':') + 1)).raw("</option>");
        }
        h.raw("</select></label>");
        field(h, "Every (days)", "days", "number", kept.getOrDefault("days", kept.containsKey("schedule")
                && !kept.get("schedule").isEmpty() ? "" : "30"));
        field(h, "or schedule expression", "schedule", "text", kept.getOrDefault("schedule", ""));
        field(h, "Window (e.g. 3h)", "window", "text", kept.getOrDefault("window", ""));
        h.raw("<label><input type=\"checkbox\" name=\"immediately\"").raw(optional ? " checked" : "")
                .raw("> rotate immediately</label>");
    }

    private static void field(Html h, String label, String name, String type, String value) {
        h.raw("<label>").text(label).raw(" <input name=\"").raw(name).raw("\" type=\"").raw(type).raw("\" value=\"")
                .text(value).raw("\"></label>");
    }

    /** What the store form asks for: CreateSecret's request and, with a function chosen, RotateSecret's. */
    record NewSecret(ObjectNode request, ObjectNode rotation) {
        static NewSecret from(Map<String, String> f, List<String> functions) {
            String name = f.getOrDefault("name", "").strip();
            if (name.isEmpty()) {
                throw new IllegalArgumentException("Give the secret a name.");
            }
            ObjectNode req = Console.object().put("Name", name);
            if (!f.getOrDefault("description", "").isBlank()) {
                req.put("Description", f.get("description").strip());
            }
            String tags = f.getOrDefault("tags", "").strip();
            if (!tags.isEmpty()) {
                var t = req.putArray("Tags");
                for (String pair : tags.split(",")) {
                    String[] kv = pair.split("=", 2);
                    if (kv[0].isBlank()) {
                        throw new IllegalArgumentException("Tags are key=value pairs separated by commas.");
                    }
                    t.addObject().put("Key", kv[0].strip()).put("Value", kv.length > 1 ? kv[1].strip() : "");
                }
            }
            String type = f.getOrDefault("type", "database");
            switch (type) {
                case "database" -> req.put("SecretString", database(f));
                case "keyvalue" -> {
                    ObjectNode o = Console.object();
                    for (int i = 0; f.containsKey("k" + i); i++) {
                        String k = f.get("k" + i).strip();
                        if (!k.isEmpty()) {
                            o.put(k, f.getOrDefault("v" + i, ""));
                        }
                    }
                    if (o.isEmpty()) {
                        throw new IllegalArgumentException("Give at least one key/value pair.");
                    }
                    req.put("SecretString", o.toString());
                }
                case "plaintext" -> {
                    if (f.getOrDefault("plaintext", "").isEmpty()) {
                        throw new IllegalArgumentException("The plaintext value is empty.");
                    }
                    req.put("SecretString", f.get("plaintext"));
                }
                default -> throw new IllegalArgumentException("Unknown secret type '" + Console.printable(type) + "'.");
            }
            ObjectNode rotation = null;
            if (!f.getOrDefault("function", "").isEmpty()) {
                rotation = Console.object();
                rotationRequest(rotation, f, functions);
            }
            return new NewSecret(req, rotation);
        }

        /** The JSON the rotation functions read: engine, host, port, username, password, dbname, ssl. */
        private static String database(Map<String, String> f) {
            Map<String, Object> m = new LinkedHashMap<>();
            String engine = f.getOrDefault("engine", "");
            if (!ENGINES.contains(engine)) {
                throw new IllegalArgumentException("Choose the engine: one of " + String.join(", ", ENGINES) + ".");
            }
            m.put("engine", engine);
            m.put("host", required(f, "host", "Host"));
            if (!f.getOrDefault("port", "").isBlank()) {
                int port = integer(f, "port", "Port");
                if (port < 1 || port > 65535) {
                    throw new IllegalArgumentException("Port must be 1 to 65535, got " + port + ".");
                }
                m.put("port", port);
            }
            m.put("username", required(f, "username", "User name"));
            String password = f.getOrDefault("password", "");
            if (password.isEmpty()) {
                throw new IllegalArgumentException("The password is empty.");
            }
            m.put("password", password);
            if (!f.getOrDefault("dbname", "").isBlank()) {
                m.put("dbname", f.get("dbname").strip());
            }
            String ssl = f.getOrDefault("ssl", "");
            if (ssl.equals("true") || ssl.equals("false")) {
                m.put("ssl", Boolean.parseBoolean(ssl));
            }
            try {
                return JSON.writeValueAsString(m);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        /** RotateSecret's members from the rotation fields. */
        static void rotationRequest(ObjectNode body, Map<String, String> f, List<String> functions) {
            String function = f.getOrDefault("function", "");
            if (function.isEmpty()) {
                throw new IllegalArgumentException("Choose a rotation function.");
            }
            body.put("RotationLambdaARN", function);
            ObjectNode rules = body.putObject("RotationRules");
            String schedule = f.getOrDefault("schedule", "").strip();
            if (!schedule.isEmpty()) {
                rules.put("ScheduleExpression", schedule);
            } else {
                rules.put("AutomaticallyAfterDays", integer(f, "days", "Every (days)"));
            }
            if (!f.getOrDefault("window", "").isBlank()) {
                rules.put("Duration", f.get("window").strip());
            }
            body.put("RotateImmediately", "on".equals(f.get("immediately")));
        }

        private static String required(Map<String, String> f, String key, String label) {
            String v = f.getOrDefault(key, "").strip();
            if (v.isEmpty()) {
                throw new IllegalArgumentException(label + " is required.");
            }
            return v;
        }

        static int integer(Map<String, String> f, String key, String label) {
            String v = f.getOrDefault(key, "").strip();
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(label + " must be a whole number, got '" + Console.printable(v) + "'.");
            }
        }
    }

    // ---------------------------------------------------------------- sign in

    String login(Console.Session session, String error) {
        Html h = Html.page("Sign in", session.csrf, null);
        h.raw("<h1>Sign in</h1><p>This server checks access (serve --iam): the console acts as the access key you sign in "
                + "with, subject to its principal's policies.</p>");
        if (error != null) {
            h.raw("<p class=\"flash error\" id=\"flash\">").text(error).raw("</p>");
        }
        h.raw("<form method=\"post\" action=\"/console/login\" id=\"login\" autocomplete=\"off\">").csrf(session.csrf);
        field(h, "Access key id", "accessKeyId", "text", "");
        field(h, "Secret access key", "secretAccessKey", "password", "");
        return h.raw("<button type=\"submit\">Sign in</button></form>").end();
    }
}
