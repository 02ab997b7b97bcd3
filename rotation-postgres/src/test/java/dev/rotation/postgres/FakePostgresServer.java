package dev.rotation.postgres;

import dev.rotation.testkit.FakeServer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake PostgreSQL server that offers no TLS: it answers the client's SSLRequest with {@code N} (what
 * anyone on the path can send), asks for the password in clear text (AuthenticationCleartextPassword,
 * which pgjdbc honours), records it, and refuses the login with SQLState 28P01 so that the client
 * goes on to try its next password. Protocol 3.0 framing only; one thread per connection.
 */
public final class FakePostgresServer implements FakeServer {
    private static final int SSL_REQUEST = 80877103;
    private static final int GSS_REQUEST = 80877104;

    private final ServerSocket listener;
    private final AtomicInteger connections = new AtomicInteger();
    private final List<String> usernames = new CopyOnWriteArrayList<>();
    private final List<String> passwords = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private FakePostgresServer() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "fake-postgres-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Listens on an ephemeral loopback port. */
    public static FakePostgresServer start() {
        try {
            return new FakePostgresServer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket socket = listener.accept();
                connections.incrementAndGet();
                Thread session = new Thread(() -> serve(socket), "fake-postgres-session");
                session.setDaemon(true);
                session.start();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; DataInputStream in = new DataInputStream(socket.getInputStream());
                DataOutputStream out = new DataOutputStream(socket.getOutputStream())) {
            byte[] startup;
            while (true) {
                int length = in.readInt();
                byte[] body = new byte[length - 4];
                in.readFully(body);
                int code = ((body[0] & 0xff) << 24) | ((body[1] & 0xff) << 16) | ((body[2] & 0xff) << 8) | (body[3] & 0xff);
                if (code == SSL_REQUEST || code == GSS_REQUEST) {
                    out.writeByte('N');
                    out.flush();
                    continue;
                }
                startup = body;
                break;
            }
            usernames.add(parameter(startup, "user"));
            out.writeByte('R');
            out.writeInt(8);
            out.writeInt(3);
            out.flush();
            if (in.readUnsignedByte() != 'p') {
                return;
            }
            byte[] message = new byte[in.readInt() - 4];
            in.readFully(message);
            int end = message.length > 0 && message[message.length - 1] == 0 ? message.length - 1 : message.length;
            passwords.add(new String(message, 0, end, StandardCharsets.UTF_8));
            byte[] error = ("SFATAL\0C28P01\0Mpassword authentication failed\0\0").getBytes(StandardCharsets.UTF_8);
            out.writeByte('E');
            out.writeInt(4 + error.length);
            out.write(error);
            out.flush();
        } catch (IOException e) {
            // The client hung up: all there was to learn is recorded.
        }
    }

    /** A value of the startup message's key/value list (after the 4-byte protocol version). */
    private static String parameter(byte[] startup, String key) {
        List<String> parts = new ArrayList<>();
        int start = 4;
        for (int i = 4; i < startup.length; i++) {
            if (startup[i] == 0) {
                parts.add(new String(startup, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        for (int i = 0; i + 1 < parts.size(); i += 2) {
            if (parts.get(i).equals(key)) {
                return parts.get(i + 1);
            }
        }
        return "";
    }

    @Override
    public String host() {
        return listener.getInetAddress().getHostAddress();
    }

    @Override
    public int port() {
        return listener.getLocalPort();
    }

    @Override
    public int connections() {
        return connections.get();
    }

    @Override
    public List<String> usernames() {
        return List.copyOf(usernames);
    }

    @Override
    public List<String> recoveredPasswords() {
        return List.copyOf(passwords);
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // Closing.
        }
    }
}
