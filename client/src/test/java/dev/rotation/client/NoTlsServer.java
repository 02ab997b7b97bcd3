package dev.rotation.client;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A fake database server (on 127.0.0.1 unless told otherwise) that offers no TLS — what a man in the middle who strips TLS
 * looks like to the client — and records every byte the client sends. The PostgreSQL variant refuses
 * the SSLRequest and then asks for the password in cleartext; the MySQL variant greets without the
 * CLIENT_SSL capability. Each then waits for the client's next message and hangs up.
 */
final class NoTlsServer implements AutoCloseable {
    private static final int SSL_REQUEST = 80877103;
    private static final int GSS_ENC_REQUEST = 80877104;

    private final ServerSocket socket;
    private final boolean postgres;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final ExecutorService thread = Executors.newSingleThreadExecutor();
    private final Future<?> serving;
    private int connections;

    private NoTlsServer(boolean postgres, InetAddress address) throws IOException {
        this.postgres = postgres;
        this.socket = new ServerSocket(0, 10, address);
        this.serving = thread.submit(this::serve);
    }

    static NoTlsServer postgres() throws IOException {
        return on(true, InetAddress.getLoopbackAddress());
    }

    static NoTlsServer mysql() throws IOException {
        return on(false, InetAddress.getLoopbackAddress());
    }

    /** A PostgreSQL ({@code postgres}) or MySQL fake listening on {@code address}, e.g. 127.0.0.2: another host. */
    static NoTlsServer on(boolean postgres, InetAddress address) throws IOException {
        return new NoTlsServer(postgres, address);
    }

    int port() {
        return socket.getLocalPort();
    }

    /** Everything clients sent, as ISO-8859-1 text (so any byte sequence can be searched). */
    synchronized String received() {
        return received.toString(StandardCharsets.ISO_8859_1);
    }

    synchronized int connections() {
        return connections;
    }

    private Void serve() throws IOException {
        while (true) {
            Socket client;
            try {
                client = socket.accept();
            } catch (SocketException closed) {
                return null;
            }
            synchronized (this) {
                connections++;
            }
            try (client) {
                // A guard against a client that neither talks nor hangs up; not a synchronisation.
                client.setSoTimeout(30_000);
                DataInputStream in = new DataInputStream(new Recording(client.getInputStream()));
                if (postgres) {
                    servePostgres(in, client.getOutputStream());
                } else {
                    serveMySql(in, client.getOutputStream());
                }
            } catch (EOFException | SocketException hungUp) {
                // The client gave up: what it sent is recorded.
            }
        }
    }

    private static void servePostgres(DataInputStream in, OutputStream out) throws IOException {
        int code;
        do {
            int length = in.readInt();
            code = in.readInt();
            in.readFully(new byte[length - 8]);
            if (code == SSL_REQUEST || code == GSS_ENC_REQUEST) {
                out.write('N');
                out.flush();
            }
        } while (code == SSL_REQUEST || code == GSS_ENC_REQUEST);
        // The startup message is read; ask for the password in cleartext (AuthenticationCleartextPassword).
        out.write(new byte[] {'R', 0, 0, 0, 8, 0, 0, 0, 3});
        out.flush();
        in.readByte();
        in.readFully(new byte[in.readInt() - 4]);
    }

    private static void serveMySql(DataInputStream in, OutputStream out) throws IOException {
        out.write(mySqlGreeting());
        out.flush();
        byte[] header = new byte[4];
        in.readFully(header);
        int length = (header[0] & 0xff) | (header[1] & 0xff) << 8 | (header[2] & 0xff) << 16;
        in.readFully(new byte[length]);
    }

    /** A protocol-10 handshake of a MySQL 8.0 server without CLIENT_SSL, offering mysql_native_password. */
    private static byte[] mySqlGreeting() {
        int capabilities = 0x1 | 0x4 | 0x8 | 0x200 | 0x2000 | 0x8000 | 0x80000; // no CLIENT_SSL (0x800)
        ByteBuffer p = ByteBuffer.allocate(128).order(ByteOrder.LITTLE_ENDIAN);
        p.put((byte) 10).put("8.0.36".getBytes(StandardCharsets.US_ASCII)).put((byte) 0);
        p.putInt(7);
        p.put("abcdefgh".getBytes(StandardCharsets.US_ASCII)).put((byte) 0);
        p.putShort((short) capabilities);
        p.put((byte) 45).putShort((short) 2);
        p.putShort((short) (capabilities >>> 16));
        p.put((byte) 21).put(new byte[10]);
        p.put("ijklmnopqrst".getBytes(StandardCharsets.US_ASCII)).put((byte) 0);
        p.put("mysql_native_password".getBytes(StandardCharsets.US_ASCII)).put((byte) 0);
        int length = p.position();
        byte[] packet = new byte[length + 4];
        packet[0] = (byte) length;
        packet[1] = (byte) (length >>> 8);
        packet[2] = (byte) (length >>> 16);
        packet[3] = 0;
        System.arraycopy(p.array(), 0, packet, 4, length);
        return packet;
    }

    /** Copies what is read into {@link #received}. */
    private final class Recording extends InputStream {
        private final InputStream in;

        Recording(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                synchronized (NoTlsServer.this) {
                    received.write(b);
                }
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                synchronized (NoTlsServer.this) {
                    received.write(buffer, offset, n);
                }
            }
            return n;
        }
    }

    /** Stops accepting and waits until the connection being served is done. */
    @Override
    public void close() throws Exception {
        socket.close();
        try {
            serving.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new UncheckedIOException(new IOException("the fake server failed", e.getCause()));
        } finally {
            thread.shutdownNow();
        }
    }
}
