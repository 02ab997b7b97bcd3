package dev.rotation.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A TCP proxy between the function and a database server that can cut a connection at the worst
 * moment: once armed with a pattern, the first client request whose bytes match it is forwarded,
 * the server executes it, and its answer is thrown away while both sockets are closed. The client
 * sees a broken connection and cannot know that the statement took effect. Plaintext connections
 * only (the pattern is matched on the wire bytes). Each cut happens once per {@link #arm}.
 *
 * <p>It also records every byte clients send, so a test playing a listener on the network path can
 * tell what reached it ({@link #clientBytes()}).
 */
public final class TcpCutProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final String targetHost;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger cuts = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final java.io.ByteArrayOutputStream received = new java.io.ByteArrayOutputStream();
    private volatile Pattern armed;
    private volatile boolean closed;

    private TcpCutProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "tcp-cut-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proxy on an ephemeral port of the loopback address forwarding to {@code host:port}. */
    public static TcpCutProxy forward(String host, int port) {
        try {
            return new TcpCutProxy(host, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the proxy port", e);
        }
    }

    public String host() {
        return listener.getInetAddress().getHostAddress();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Cuts the first connection whose client sends bytes matching {@code request}, after the server answered. */
    public void arm(Pattern request) {
        armed = request;
    }

    /** How many connections were cut. */
    public int cuts() {
        return cuts.get();
    }

    /** How many connections clients opened through the proxy. */
    public int connections() {
        return connections.get();
    }

    /** Everything clients sent through the proxy so far, one byte per char (ISO-8859-1). */
    public String clientBytes() {
        synchronized (received) {
            return received.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                connections.incrementAndGet();
                Socket server = new Socket(targetHost, targetPort);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(server);
                AtomicBoolean cutOnAnswer = new AtomicBoolean();
                pump("tcp-cut-proxy-up", client, server, chunk -> {
                    synchronized (received) {
                        received.writeBytes(chunk);
                    }
                    Pattern pattern = armed;
                    if (pattern != null && pattern.matcher(new String(chunk, StandardCharsets.ISO_8859_1)).find()) {
                        armed = null;
                        cutOnAnswer.set(true);
                    }
                    return true;
                });
                pump("tcp-cut-proxy-down", server, client, chunk -> {
                    if (cutOnAnswer.get()) {
                        cuts.incrementAndGet();
                        closeQuietly(client);
                        closeQuietly(server);
                        return false;
                    }
                    return true;
                });
            } catch (IOException e) {
                if (!closed) {
                    // The client retries; the proxy keeps accepting.
                    continue;
                }
            }
        }
    }

    /** Decides, per chunk read, whether to forward it; false drops it (the sockets are closed by then). */
    private interface ChunkRule {
        boolean forward(byte[] chunk);
    }

    private void pump(String name, Socket from, Socket to, ChunkRule rule) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[65536];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    byte[] chunk = java.util.Arrays.copyOf(buffer, n);
                    if (!rule.forward(chunk)) {
                        return;
                    }
                    out.write(chunk);
                    out.flush();
                }
            } catch (IOException e) {
                // One side went away; the other follows below.
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Already closed.
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // Closing.
        }
        sockets.forEach(TcpCutProxy::closeQuietly);
    }
}
