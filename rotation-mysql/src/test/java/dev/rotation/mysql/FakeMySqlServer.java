package dev.rotation.mysql;

import dev.rotation.testkit.FakeServer;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Cipher;

/**
 * A man in the middle posing as a MySQL 8 server, for tests: it listens on loopback, speaks the
 * handshake v10 <em>without</em> the CLIENT_SSL capability (so a client that would accept plaintext
 * does not even try TLS), switches every login to {@code caching_sha2_password}, answers the
 * scramble with "perform full authentication", hands out its own RSA public key when the client
 * asks for one, and decrypts what the client then sends: the password. Every login is refused
 * afterwards (access denied), so the client never gets a session.
 *
 * <p>What it learnt is kept for the test's checks: the user names that tried to log in, the
 * passwords it recovered, and every byte it received (to look for passwords sent in clear).
 * {@link #toString()} shows counts only.
 *
 * <pre>{@code
 * try (FakeMySqlServer fake = FakeMySqlServer.start()) {
 *     // point a secret at 127.0.0.1:fake.port() and run the function
 *     assertThat(fake.recoveredPasswords()).isEmpty();
 * }
 * }</pre>
 */
public final class FakeMySqlServer implements FakeServer {
    /** Above 8.0.5, so Connector/J encrypts with OAEP padding, as it does for a real MySQL 8. */
    static final String SERVER_VERSION = "8.0.36-fake";
    private static final String NATIVE = "mysql_native_password";
    private static final String CACHING_SHA2 = "caching_sha2_password";
    private static final int CLIENT_SSL = 0x800;
    /** Protocol 4.1 with plugin authentication and connect attributes, and no CLIENT_SSL. */
    private static final int CAPABILITIES = 0x1 | 0x2 | 0x4 | 0x8 | 0x200 | 0x2000 | 0x8000 | 0x10000 | 0x20000
            | 0x80000 | 0x100000 | 0x200000;
    private static final byte REQUEST_PUBLIC_KEY = 2;
    private static final byte PERFORM_FULL_AUTHENTICATION = 4;
    private static final int READ_TIMEOUT_MILLIS = 30_000;

    private final ServerSocket socket;
    private final KeyPair key;
    private final ExecutorService connections = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "fake-mysql-connection");
        thread.setDaemon(true);
        return thread;
    });
    private final Thread acceptor;
    private final SecureRandom random = new SecureRandom();
    private final List<String> users = new CopyOnWriteArrayList<>();
    private final List<String> recovered = new CopyOnWriteArrayList<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final AtomicInteger logins = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();

    private FakeMySqlServer(ServerSocket socket, KeyPair key) {
        this.socket = socket;
        this.key = key;
        this.acceptor = new Thread(this::acceptLoop, "fake-mysql-acceptor");
        acceptor.setDaemon(true);
    }

    /** Listens on an ephemeral port of 127.0.0.1. */
    public static FakeMySqlServer start() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            ServerSocket socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
            FakeMySqlServer server = new FakeMySqlServer(socket, generator.generateKeyPair());
            server.acceptor.start();
            return server;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot start the fake MySQL server", e);
        }
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int connections() {
        return accepted.get();
    }

    @Override
    public List<String> usernames() {
        return users();
    }

    @Override
    public int port() {
        return socket.getLocalPort();
    }

    /** How many clients got as far as sending a login (a client refusing the missing TLS does not). */
    public int logins() {
        return logins.get();
    }

    /** The user names clients logged in with. */
    public List<String> users() {
        return List.copyOf(users);
    }

    /** The passwords decrypted with the fake server's own RSA key. */
    @Override
    public List<String> recoveredPasswords() {
        return List.copyOf(recovered);
    }

    /** Protocol surprises (a client that did something this server does not expect), for diagnosis. */
    public List<String> failures() {
        return List.copyOf(failures);
    }

    /** Every byte any client sent, connections one after the other. */
    public byte[] received() {
        synchronized (received) {
            return received.toByteArray();
        }
    }

    /** Whether {@code text}, as UTF-8, occurs anywhere in what the clients sent. */
    public boolean receivedContains(String text) {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        byte[] haystack = received();
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return true;
            }
        }
        return false;
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                accepted.incrementAndGet();
                connections.execute(() -> serve(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client) {
        try (client; InputStream in = client.getInputStream(); OutputStream out = client.getOutputStream()) {
            client.setSoTimeout(READ_TIMEOUT_MILLIS);
            byte[] scramble = nonce();
            write(out, 0, handshake(scramble));
            Packet login;
            try {
                login = read(in);
            } catch (EOFException clientGaveUp) {
                return; // for example a client that insists on TLS
            }
            logins.incrementAndGet();
            users.add(userName(login.payload()));
            byte[] nonce = nonce();
            ByteArrayOutputStream authSwitch = new ByteArrayOutputStream();
            authSwitch.write(0xfe);
            authSwitch.write(nul(CACHING_SHA2));
            authSwitch.write(nonce);
            authSwitch.write(0);
            write(out, login.sequence() + 1, authSwitch.toByteArray());
            Packet scrambled = read(in);
            write(out, scrambled.sequence() + 1, new byte[] {1, PERFORM_FULL_AUTHENTICATION});
            Packet next = read(in);
            if (next.payload().length == 1 && next.payload()[0] == REQUEST_PUBLIC_KEY) {
                ByteArrayOutputStream keyPacket = new ByteArrayOutputStream();
                keyPacket.write(1);
                keyPacket.write(publicKeyPem().getBytes(StandardCharsets.US_ASCII));
                write(out, next.sequence() + 1, keyPacket.toByteArray());
                next = read(in);
                recovered.add(decrypt(next.payload(), nonce));
            } else {
                failures.add("after 'perform full authentication' the client sent " + next.payload().length
                        + " bytes instead of a public key request");
            }
            write(out, next.sequence() + 1, accessDenied());
        } catch (EOFException | SocketException clientLeft) {
            // The client ended the conversation (for example: it will not send the password in clear).
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            failures.add(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private byte[] handshake(byte[] scramble) throws IOException {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(10);
        p.write(nul(SERVER_VERSION));
        p.write(new byte[] {7, 0, 0, 0}); // connection id
        p.write(scramble, 0, 8);
        p.write(0);
        int capabilities = CAPABILITIES & ~CLIENT_SSL;
        p.write(capabilities & 0xff);
        p.write((capabilities >> 8) & 0xff);
        p.write(255); // utf8mb4_0900_ai_ci
        p.write(new byte[] {2, 0}); // SERVER_STATUS_AUTOCOMMIT
        p.write((capabilities >> 16) & 0xff);
        p.write((capabilities >> 24) & 0xff);
        p.write(scramble.length + 1);
        p.write(new byte[10]);
        p.write(scramble, 8, scramble.length - 8);
        p.write(0);
        p.write(nul(NATIVE));
        return p.toByteArray();
    }

    /** HandshakeResponse41: capabilities, max packet, charset, 23 reserved bytes, then the NUL-terminated user. */
    private static String userName(byte[] login) {
        int start = 4 + 4 + 1 + 23;
        int end = start;
        while (end < login.length && login[end] != 0) {
            end++;
        }
        return start < login.length ? new String(login, start, end - start, StandardCharsets.UTF_8) : "";
    }

    /** caching_sha2_password full authentication: RSA-OAEP of the NUL-terminated password XOR the nonce. */
    private String decrypt(byte[] encrypted, byte[] nonce) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
        cipher.init(Cipher.DECRYPT_MODE, key.getPrivate());
        byte[] mixed = cipher.doFinal(encrypted);
        for (int i = 0; i < mixed.length; i++) {
            mixed[i] ^= nonce[i % nonce.length];
        }
        int length = mixed.length > 0 && mixed[mixed.length - 1] == 0 ? mixed.length - 1 : mixed.length;
        return new String(mixed, 0, length, StandardCharsets.UTF_8);
    }

    private String publicKeyPem() {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    private static byte[] accessDenied() {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0xff);
        p.write(1045 & 0xff);
        p.write(1045 >> 8);
        p.writeBytes("#28000Access denied".getBytes(StandardCharsets.US_ASCII));
        return p.toByteArray();
    }

    /** 20 printable bytes: Connector/J reads the nonce as a NUL-terminated string. */
    private byte[] nonce() {
        byte[] nonce = new byte[20];
        for (int i = 0; i < nonce.length; i++) {
            nonce[i] = (byte) ('!' + random.nextInt(94));
        }
        return nonce;
    }

    private static byte[] nul(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        return Arrays.copyOf(bytes, bytes.length + 1);
    }

    private record Packet(int sequence, byte[] payload) {
    }

    private Packet read(InputStream in) throws IOException {
        byte[] header = in.readNBytes(4);
        if (header.length < 4) {
            throw new EOFException("the client closed the connection");
        }
        int length = (header[0] & 0xff) | (header[1] & 0xff) << 8 | (header[2] & 0xff) << 16;
        byte[] payload = in.readNBytes(length);
        synchronized (received) {
            received.writeBytes(header);
            received.writeBytes(payload);
        }
        if (payload.length < length) {
            throw new EOFException("the client closed the connection inside a packet");
        }
        return new Packet(header[3] & 0xff, payload);
    }

    private static void write(OutputStream out, int sequence, byte[] payload) throws IOException {
        out.write(new byte[] {(byte) payload.length, (byte) (payload.length >> 8), (byte) (payload.length >> 16),
                (byte) sequence});
        out.write(payload);
        out.flush();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // Nothing is left to release.
        }
        connections.shutdownNow();
        try {
            connections.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Counts only: what it recovered are passwords. */
    @Override
    public String toString() {
        return "FakeMySqlServer{port=" + port() + ", logins=" + logins.get() + ", recovered=" + recovered.size() + "}";
    }
}
