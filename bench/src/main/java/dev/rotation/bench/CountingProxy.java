package dev.rotation.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback TCP proxy that counts what passes: connections (a database login is one connection)
 * and, for HTTP to Secrets Manager, requests by their {@code X-Amz-Target} operation.
 */
final class CountingProxy implements AutoCloseable {
    private static final Pattern TARGET = Pattern.compile("(?i)X-Amz-Target:\\s*secretsmanager\\.(\\w+)\\r\\n");

    private final ServerSocket listener;
    private final String targetHost;
    private final int targetPort;
    private final AtomicInteger connections = new AtomicInteger();
    private final Map<String, AtomicInteger> operations = new ConcurrentHashMap<>();
    private volatile boolean closed;

    CountingProxy(String targetHost, int targetPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        try {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread accept = new Thread(this::acceptLoop, "counting-proxy-" + listener.getLocalPort());
        accept.setDaemon(true);
        accept.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Resets the counters, e.g. after setting up the secret through the proxy. */
    void reset() {
        connections.set(0);
        operations.clear();
    }

    int connections() {
        return connections.get();
    }

    /** Secrets Manager operation name to request count, sorted by name. */
    Map<String, Integer> operations() {
        Map<String, Integer> copy = new TreeMap<>();
        operations.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                connections.incrementAndGet();
                Socket server = new Socket();
                server.connect(new InetSocketAddress(targetHost, targetPort), 5_000);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                pump(client, server, true);
                pump(server, client, false);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void pump(Socket from, Socket to, boolean request) {
        Thread t = new Thread(() -> {
            String carry = "";
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                    if (request) {
                        String text = carry + new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
                        Matcher m = TARGET.matcher(text);
                        int end = 0;
                        while (m.find()) {
                            operations.computeIfAbsent(m.group(1), k -> new AtomicInteger()).incrementAndGet();
                            end = m.end();
                        }
                        String rest = text.substring(end);
                        carry = rest.length() > 200 ? rest.substring(rest.length() - 200) : rest;
                    }
                }
            } catch (IOException e) {
                // the other side closed; close both below
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "counting-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
