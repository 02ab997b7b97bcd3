package dev.rotation.local.secretsmanager;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One plain TCP connection to the server, for what no HTTP client does on purpose: stop half-way through a
 * request, lie about the body's length, send any Host. Every read is bounded by a socket timeout, so a
 * server that never answers fails the test instead of hanging it.
 */
final class RawHttp implements AutoCloseable {
    /** Long enough for any honest answer on a loaded machine; only a server that never answers hits it. */
    static final int READ_TIMEOUT_MS = 20_000;

    /** A parsed answer: status, headers with lower-case names, body as text. */
    record Answer(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawHttp(URI endpoint) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), READ_TIMEOUT_MS);
        socket.setSoTimeout(READ_TIMEOUT_MS);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** The head of a JSON 1.1 POST with the given Host and Content-Length, without the body. */
    static String head(String host, String target, long contentLength) {
        return "POST / HTTP/1.1\r\n"
                + (host == null ? "" : "Host: " + host + "\r\n")
                + "Content-Type: application/x-amz-json-1.1\r\n"
                + "X-Amz-Target: secretsmanager." + target + "\r\n"
                + "Content-Length: " + contentLength + "\r\n"
                + "\r\n";
    }

    /** A whole request: head and body. */
    static String request(String host, String target, String body) {
        return head(host, target, body.getBytes(StandardCharsets.UTF_8).length) + body;
    }

    RawHttp send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
        return this;
    }

    /** Reads one answer: status line, headers, and a Content-Length body. */
    Answer read() throws IOException {
        String statusLine = line();
        if (statusLine == null) {
            throw new IOException("the server closed the connection without an answer");
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String l = line(); l != null && !l.isEmpty(); l = line()) {
            int colon = l.indexOf(':');
            headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    /** True when the server has closed its side: the next read sees the end of the stream. */
    boolean closedByServer() throws IOException {
        return in.read() == -1;
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
