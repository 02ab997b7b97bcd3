package dev.rotation.local.console;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Building HTML text: every value written into a page goes through {@link #esc}. */
final class Html {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final StringBuilder b = new StringBuilder(8192);

    private Html() {
    }

    /** A page with the console's header, style sheet and script; {@code body} goes inside main. */
    static Html page(String title, String csrf, String principal) {
        Html h = new Html();
        h.raw("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .raw("<title>").text(title).raw(" · Local Secrets Manager</title>")
                .raw("<link rel=\"stylesheet\" href=\"/console/static/console.css\">")
                .raw("<script src=\"/console/static/console.js\" defer></script></head><body>")
                .raw("<header><a class=\"brand\" href=\"/console\">Local Secrets Manager</a>")
                .raw("<nav><a href=\"/console\">Secrets</a><a href=\"/console/new\">Store a new secret</a></nav>");
        if (principal != null) {
            h.raw("<form class=\"who\" method=\"post\" action=\"/console/logout\">").csrf(csrf)
                    .raw("<span>").text(principal).raw("</span><button type=\"submit\">Sign out</button></form>");
        }
        h.raw("</header><main>");
        return h;
    }

    Html csrf(String token) {
        return token == null ? this : raw("<input type=\"hidden\" name=\"csrf\" value=\"").text(token).raw("\">");
    }

    Html raw(String s) {
        b.append(s);
        return this;
    }

    Html text(String s) {
        b.append(esc(s));
        return this;
    }

    Html time(Instant t) {
        return text(t == null ? "—" : TIME.format(t));
    }

    static String time(Instant t, String none) {
        return t == null ? none : TIME.format(t);
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    String end() {
        return b.append("</main></body></html>").toString();
    }

    String fragment() {
        return b.toString();
    }
}
