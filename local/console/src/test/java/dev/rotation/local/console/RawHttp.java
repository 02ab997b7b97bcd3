package dev.rotation.local.console;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** HTTP/1.1 over a plain socket: any Host, Origin or Cookie header, as a hostile page or a script could send. */
final class RawHttp {
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([0-9a-f]+)\"");

    record Answer(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String csrf() {
            Matcher m = CSRF.matcher(body);
            return m.find() ? m.group(1) : null;
        }

        String cookie() {
            String c = header("set-cookie");
            return c == null ? null : c.substring(0, c.indexOf(';'));
        }
    }

    private RawHttp() {
    }

    static Answer send(URI endpoint, String method, String target, List<String> headers, String body) throws IOException {
        return send(endpoint, method, target, headers, body == null ? null : "application/x-www-form-urlencoded", body);
    }

    static Answer send(URI endpoint, String method, String target, List<String> headers, String type, String body)
            throws IOException {
        try (Socket s = new Socket(endpoint.getHost(), endpoint.getPort())) {
            byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\n");
            boolean host = headers.stream().anyMatch(h -> h.toLowerCase(Locale.ROOT).startsWith("host:"));
            if (!host) {
                head.append("Host: ").append(endpoint.getHost()).append(':').append(endpoint.getPort()).append("\r\n");
            }
            headers.forEach(h -> head.append(h).append("\r\n"));
            if (type != null) {
                head.append("Content-Type: ").append(type).append("\r\n");
            }
            head.append("Content-Length: ").append(bytes.length).append("\r\nConnection: close\r\n\r\n");
            OutputStream out = s.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes);
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int split = text.indexOf("\r\n\r\n");
            String[] lines = text.substring(0, split).split("\r\n");
            Map<String, String> h = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                h.put(lines[i].substring(0, colon).toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
            }
            return new Answer(Integer.parseInt(lines[0].split(" ")[1]), h, text.substring(split + 4));
        }
    }
}
