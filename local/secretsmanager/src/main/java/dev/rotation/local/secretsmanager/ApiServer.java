package dev.rotation.local.secretsmanager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The HTTP/1.1 server in front of {@link ApiHandler}. Not the JDK's {@code com.sun.net.httpserver}: that
 * one reads each request's line, headers and body with blocking reads on its worker threads, so a few
 * clients that stop half-way hold every worker; its only read deadline ({@code sun.net.httpserver.maxReqTime})
 * is one JVM-wide setting read once; and it drains an unread body before it closes.
 *
 * <p>Here one selector thread does all socket I/O without blocking: it accepts, reads each request into
 * a buffer while checking it (head size, Host, Content-Length), and writes the answers. Only a complete
 * request reaches a worker thread, so a client that stalls costs a buffer and a socket, never a thread. A
 * request must arrive within the read limit from its first byte (and an idle connection is closed after
 * as long); the answer must be taken within as long again. A refused request is answered at once and
 * the connection closed without reading the rest of its body: after the answer the server shuts its
 * side, and drops at most {@link #LINGER_BYTES} of what the client had already sent, for at most
 * {@link #LINGER}, so that closing with unread bytes does not reset the connection before the client
 * has read the answer.
 *
 * <p>Limits: {@link #MAX_HEAD} for the request line and headers, {@link #MAX_BODY} for the body
 * (Content-Length only; chunked bodies are refused), {@link #MAX_CONNECTIONS} connections at once.
 */
final class ApiServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ApiServer.class.getName());

    /** Request line and headers; a SigV4-signed request has about 1.5 KiB. */
    static final int MAX_HEAD = 16 * 1024;
    /** Big enough for a 64 KiB binary value in base64 plus the other members. */
    static final int MAX_BODY = 1 << 20;
    /** Connections open at once; further ones are closed at once until some end. */
    static final int MAX_CONNECTIONS = 1024;
    /** After a refusal, at most this much that the client already sent is read and dropped. */
    static final int LINGER_BYTES = 4 * MAX_BODY;
    /** After a refusal, the longest wait for the client to close its side. */
    static final Duration LINGER = Duration.ofSeconds(2);

    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH);
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    /**
     * One request as it arrived: the method, the request target's path and query (null when none), the
     * headers by lower-case name, the body and the client's address. toString() leaves out the body,
     * which may hold a secret value.
     */
    record Request(String method, String path, String query, Map<String, List<String>> headers, byte[] body,
                   String remoteAddress) {
        /** The first value of a header, by lower-case name, or null. */
        String header(String lowerCaseName) {
            List<String> values = headers.get(lowerCaseName);
            return values == null ? null : values.get(0);
        }

        @Override
        public String toString() {
            return "Request[" + method + ", " + body.length + " bytes]";
        }
    }

    /** An answer; the server adds Content-Length, Date and Connection. toString() leaves out the body. */
    record Response(int status, Map<String, String> headers, byte[] body) {
        @Override
        public String toString() {
            return "Response[" + status + ", " + body.length + " bytes]";
        }
    }

    /** What the server serves; both methods run quickly and never throw. */
    interface Handler {
        /** Answers a complete request (on a worker thread). */
        Response handle(Request request);

        /** The answer for a request refused before it reached {@link #handle} (on the selector thread). */
        Response refuse(ServiceException e);
    }

    private enum State {
        /** Waiting for the first byte of a request. */
        IDLE,
        /** Reading the request line and headers. */
        HEAD,
        /** Reading the body. */
        BODY,
        /** A worker is answering; nothing is read meanwhile. */
        WORKING,
        /** Writing an answer, after which the connection waits for the next request. */
        WRITING,
        /** Writing a last answer, then with our side shut, dropping what still arrives until the client closes. */
        CLOSING
    }

    private final ServerSocketChannel listener;
    private final Selector selector;
    private final HostCheck hosts;
    private final long readLimitNanos;
    private final Handler handler;
    private final ExecutorService workers;
    private final Thread loop;
    private final Queue<Runnable> loopTasks = new ConcurrentLinkedQueue<>();
    /** Touched by the selector thread only. */
    private final Set<Connection> connections = new HashSet<>();
    private long nextSweep;
    private boolean warnedFull;
    private volatile boolean closing;

    private ApiServer(ServerSocketChannel listener, Selector selector, HostCheck hosts, Duration readLimit,
                      Handler handler, int workerThreads) {
        this.listener = listener;
        this.selector = selector;
        this.hosts = hosts;
        this.readLimitNanos = readLimit.toNanos();
        this.handler = handler;
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(workerThreads, r -> {
            Thread t = new Thread(r, "secretsmanager-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.nextSweep = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        this.loop = new Thread(this::run, "secretsmanager-http");
        this.loop.setDaemon(true);
    }

    /** Binds {@code address} and starts serving. */
    static ApiServer start(InetSocketAddress address, HostCheck hosts, Duration readLimit, Handler handler,
                           int workerThreads) {
        ServerSocketChannel listener = null;
        try {
            listener = ServerSocketChannel.open();
            listener.bind(address, 128);
            listener.configureBlocking(false);
            Selector selector = Selector.open();
            listener.register(selector, SelectionKey.OP_ACCEPT);
            ApiServer server = new ApiServer(listener, selector, hosts, readLimit, handler, workerThreads);
            server.loop.start();
            return server;
        } catch (IOException e) {
            closeQuietly(listener);
            throw new UncheckedIOException("Cannot listen on " + address.getAddress().getHostAddress() + ":"
                    + address.getPort() + ": " + e.getMessage(), e);
        }
    }

    /** The port actually bound (the one asked for, or a free one for 0). */
    int port() {
        return listener.socket().getLocalPort();
    }

    /** Stops accepting, closes every connection and stops the workers. Idempotent. */
    @Override
    public void close() {
        closing = true;
        selector.wakeup();
        try {
            loop.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdownNow();
    }

    // ---------------------------------------------------------------- selector thread

    private void run() {
        while (!closing) {
            try {
                long waitMs = TimeUnit.NANOSECONDS.toMillis(nextSweep - System.nanoTime()) + 1;
                selector.select(Math.max(1, waitMs));
                for (Runnable task = loopTasks.poll(); task != null; task = loopTasks.poll()) {
                    task.run();
                }
                Iterator<SelectionKey> selected = selector.selectedKeys().iterator();
                while (selected.hasNext()) {
                    SelectionKey key = selected.next();
                    selected.remove();
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        accept();
                    } else {
                        ((Connection) key.attachment()).ready(key);
                    }
                }
                if (System.nanoTime() - nextSweep >= 0) {
                    sweep();
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "the HTTP server's selector loop failed; it goes on", e);
            }
        }
        for (Connection c : new ArrayList<>(connections)) {
            c.close();
        }
        closeQuietly(listener);
        closeQuietly(selector);
    }

    private void accept() throws IOException {
        for (SocketChannel channel = listener.accept(); channel != null; channel = listener.accept()) {
            if (connections.size() >= MAX_CONNECTIONS) {
                closeQuietly(channel);
                if (!warnedFull) {
                    warnedFull = true;
                    LOG.log(System.Logger.Level.WARNING, MAX_CONNECTIONS + " connections are open; new ones are "
                            + "closed until some end");
                }
                continue;
            }
            warnedFull = false;
            try {
                channel.configureBlocking(false);
                // The answer goes out in one write; without this a client's delayed ACK could hold it ~40 ms.
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                Connection c = new Connection(channel);
                c.key = channel.register(selector, SelectionKey.OP_READ, c);
                connections.add(c);
                c.awaitRequest(new byte[0]);
            } catch (IOException e) {
                closeQuietly(channel);
            }
        }
    }

    /** Acts on every connection whose deadline has passed and schedules the next sweep. */
    private void sweep() {
        long now = System.nanoTime();
        nextSweep = now + TimeUnit.SECONDS.toNanos(1);
        for (Connection c : new ArrayList<>(connections)) {
            if (c.state != State.WORKING && now - c.deadline >= 0) {
                c.expire();
            }
        }
        for (Connection c : connections) {
            if (c.state != State.WORKING && c.deadline - nextSweep < 0) {
                nextSweep = c.deadline;
            }
        }
    }

    private void onLoop(Runnable task) {
        loopTasks.add(task);
        selector.wakeup();
    }

    /** One client connection; touched by the selector thread only. */
    private final class Connection {
        private final SocketChannel channel;
        private SelectionKey key;
        private State state;
        private long deadline;
        private boolean closed;
        /** The request line and headers as they arrive (write mode); may run on into the body. */
        private ByteBuffer head;
        /** How far {@link #head} has been searched for the blank line. */
        private int scanned;
        private String method;
        private String path;
        private String query;
        private Map<String, List<String>> headers;
        private boolean keepAlive;
        private int contentLength;
        /** The body as it arrives (write mode); grown as data comes, never ahead of it. */
        private ByteBuffer body;
        /** Bytes past this request's end (a pipelined next request). */
        private byte[] extra = new byte[0];
        private ByteBuffer out;
        private long dropped;

        private final String remoteAddress;

        Connection(SocketChannel channel) {
            this.channel = channel;
            String address;
            try {
                address = channel.getRemoteAddress() instanceof java.net.InetSocketAddress a
                        ? a.getAddress().getHostAddress() : "unknown";
            } catch (IOException e) {
                address = "unknown";
            }
            this.remoteAddress = address;
        }

        void ready(SelectionKey k) {
            try {
                if (k.isWritable()) {
                    write();
                }
                if (!closed && k.isValid() && k.isReadable()) {
                    read();
                }
            } catch (IOException | CancelledKeyException e) {
                close();
            }
        }

        private void setDeadline(long nanosFromNow) {
            deadline = System.nanoTime() + nanosFromNow;
            if (deadline - nextSweep < 0) {
                nextSweep = deadline;
            }
        }

        /** Waits for the next request, which may have begun already in {@code pipelined}. */
        void awaitRequest(byte[] pipelined) throws IOException {
            state = State.IDLE;
            head = ByteBuffer.allocate(Math.max(2048, pipelined.length));
            head.put(pipelined);
            scanned = 0;
            headers = null;
            body = null;
            extra = new byte[0];
            setDeadline(readLimitNanos);
            updateInterest();
            if (pipelined.length > 0) {
                state = State.HEAD;
                parseHead();
            }
        }

        private void read() throws IOException {
            switch (state) {
                case IDLE, HEAD -> {
                    if (!head.hasRemaining()) {
                        head = grow(head, MAX_HEAD);
                    }
                    int n = channel.read(head);
                    if (n < 0) {
                        close();
                        return;
                    }
                    if (n > 0 && state == State.IDLE) {
                        state = State.HEAD;
                        setDeadline(readLimitNanos);
                    }
                    parseHead();
                }
                case BODY -> {
                    if (!body.hasRemaining()) {
                        body = grow(body, contentLength);
                    }
                    if (channel.read(body) < 0) {
                        close();
                        return;
                    }
                    if (body.position() == contentLength) {
                        dispatch();
                    }
                }
                case CLOSING -> drop();
                default -> {
                }
            }
        }

        private ByteBuffer grow(ByteBuffer b, int max) {
            ByteBuffer bigger = ByteBuffer.allocate((int) Math.min(max, Math.max(2048L, b.capacity() * 2L)));
            b.flip();
            return bigger.put(b);
        }

        /** In CLOSING: reads and drops what the client still sends, within the linger bounds. */
        private void drop() throws IOException {
            ByteBuffer sink = ByteBuffer.allocate(16 * 1024);
            int n;
            while ((n = channel.read(sink)) > 0) {
                dropped += n;
                sink.clear();
                if (dropped > LINGER_BYTES) {
                    close();
                    return;
                }
            }
            if (n < 0) {
                close();
            }
        }

        private void parseHead() throws IOException {
            byte[] a = head.array();
            int end = -1;
            for (int i = Math.max(3, scanned); i < head.position(); i++) {
                if (a[i] == '\n' && a[i - 1] == '\r' && a[i - 2] == '\n' && a[i - 3] == '\r') {
                    end = i + 1;
                    break;
                }
            }
            if (end < 0) {
                scanned = head.position();
                if (head.position() >= MAX_HEAD) {
                    refuse(ServiceException.of("SerializationException", 431, "The request line and headers are "
                            + "longer than " + MAX_HEAD + " bytes."));
                }
                return;
            }
            ServiceException problem = parseHeadText(new String(a, 0, end - 4, StandardCharsets.ISO_8859_1));
            if (problem != null) {
                refuse(problem);
                return;
            }
            int after = head.position() - end;
            int inBody = Math.min(after, contentLength);
            body = ByteBuffer.allocate(Math.min(contentLength, Math.max(inBody, 16 * 1024)));
            body.put(a, end, inBody);
            extra = Arrays.copyOfRange(a, end + inBody, head.position());
            head = null;
            state = State.BODY;
            if (body.position() == contentLength) {
                dispatch();
                return;
            }
            if ("100-continue".equalsIgnoreCase(headerValue("expect"))) {
                out = ByteBuffer.wrap(CONTINUE);
                write();
            }
            updateInterest();
        }

        /** Parses and checks the head; returns the reason to refuse it, or null. */
        private ServiceException parseHeadText(String text) {
            String[] lines = text.split("\r\n", -1);
            String[] requestLine = lines[0].split(" ", -1);
            if (requestLine.length != 3 || !TOKEN.matcher(requestLine[0]).matches()
                    || !(requestLine[2].equals("HTTP/1.1") || requestLine[2].equals("HTTP/1.0"))) {
                return framing("The request line is not an HTTP/1.1 request line.");
            }
            method = requestLine[0];
            String target = requestLine[1];
            int q = target.indexOf('?');
            path = q < 0 ? target : target.substring(0, q);
            query = q < 0 ? null : target.substring(q + 1);
            headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                String line = lines[i];
                int colon = line.indexOf(':');
                if (colon <= 0 || !TOKEN.matcher(line.substring(0, colon)).matches()) {
                    return framing("Header line " + i + " is not a 'Name: value' header.");
                }
                headers.computeIfAbsent(line.substring(0, colon).toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(line.substring(colon + 1).strip());
            }
            List<String> host = headers.get("host");
            if (host == null) {
                return framing("The request has no Host header; HTTP/1.1 requires one.");
            }
            if (host.size() > 1) {
                return framing("The request has more than one Host header.");
            }
            if (!hosts.accepts(host.get(0))) {
                return ServiceException.of("AccessDeniedException", 403, "The Host header '"
                        + Validation.printable(host.get(0)) + "' does not name this server, which accepts "
                        + hosts.describe() + ". This protects against web pages that point their own domain "
                        + "at this address (DNS rebinding); to accept another name, list it (serve --allowed-host).");
            }
            if (headers.containsKey("transfer-encoding")) {
                return framing("Transfer-Encoding is not supported; send the body with a Content-Length.");
            }
            List<String> lengths = headers.getOrDefault("content-length", List.of("0"));
            if (lengths.stream().distinct().count() != 1 || !DIGITS.matcher(lengths.get(0)).matches()) {
                return framing("The Content-Length header must be one decimal number.");
            }
            long length = Long.parseLong(lengths.get(0));
            if (length > MAX_BODY) {
                return framing("The request body is larger than " + MAX_BODY + " bytes.");
            }
            contentLength = (int) length;
            String connection = headerValue("connection");
            keepAlive = requestLine[2].equals("HTTP/1.1")
                    && (connection == null || Arrays.stream(connection.split(","))
                    .noneMatch(t -> t.strip().equalsIgnoreCase("close")));
            return null;
        }

        private ServiceException framing(String message) {
            return ServiceException.serialization(message);
        }

        private String headerValue(String name) {
            List<String> values = headers.get(name);
            return values == null ? null : values.get(0);
        }

        private void dispatch() {
            state = State.WORKING;
            updateInterest();
            byte[] bytes = body.array().length == contentLength ? body.array()
                    : Arrays.copyOf(body.array(), contentLength);
            Request request = new Request(method, path, query, headers, bytes, remoteAddress);
            boolean close = !keepAlive;
            try {
                workers.execute(() -> {
                    ByteBuffer encoded;
                    try {
                        encoded = encode(handler.handle(request), close);
                    } catch (RuntimeException | Error e) {
                        // Never leave the connection waiting for an answer that will not come.
                        onLoop(this::close);
                        throw e;
                    }
                    onLoop(() -> answer(encoded, close));
                });
            } catch (RejectedExecutionException e) {
                close(); // the server is closing
            }
        }

        /** On the selector thread: sends a worker's answer. */
        private void answer(ByteBuffer encoded, boolean close) {
            if (closed) {
                return;
            }
            state = close ? State.CLOSING : State.WRITING;
            out = out == null ? encoded : concat(out, encoded);
            setDeadline(readLimitNanos);
            try {
                write();
            } catch (IOException | CancelledKeyException e) {
                close();
            }
        }

        /** Answers with an error and closes without reading the rest of the request. */
        private void refuse(ServiceException e) throws IOException {
            state = State.CLOSING;
            ByteBuffer encoded = encode(handler.refuse(e), true);
            out = out == null ? encoded : concat(out, encoded);
            setDeadline(readLimitNanos);
            write();
        }

        private void write() throws IOException {
            if (out != null) {
                channel.write(out);
                if (out.hasRemaining()) {
                    updateInterest();
                    return;
                }
                out = null;
            }
            switch (state) {
                case WRITING -> awaitRequest(extra);
                case CLOSING -> {
                    if (!channel.socket().isOutputShutdown()) {
                        channel.shutdownOutput();
                        setDeadline(Math.min(readLimitNanos, LINGER.toNanos()));
                    }
                    updateInterest();
                    drop();
                }
                default -> updateInterest();
            }
        }

        private void updateInterest() {
            if (closed) {
                return;
            }
            int ops = switch (state) {
                case IDLE, HEAD, BODY, CLOSING -> SelectionKey.OP_READ;
                case WORKING, WRITING -> 0;
            };
            if (out != null) {
                ops |= SelectionKey.OP_WRITE;
            }
            key.interestOps(ops);
        }

        /** The deadline passed: what that means depends on how far the exchange got. */
        void expire() {
            if (state == State.HEAD || state == State.BODY) {
                try {
                    refuse(ServiceException.of("RequestTimeoutException", 408, "The request did not arrive "
                            + "completely within " + Duration.ofNanos(readLimitNanos).toMillis() + " ms."));
                    return;
                } catch (IOException | CancelledKeyException e) {
                    // fall through to close
                }
            }
            close();
        }

        void close() {
            if (closed) {
                return;
            }
            closed = true;
            connections.remove(this);
            if (key != null) {
                key.cancel();
            }
            closeQuietly(channel);
        }
    }

    private static ByteBuffer concat(ByteBuffer first, ByteBuffer second) {
        ByteBuffer both = ByteBuffer.allocate(first.remaining() + second.remaining());
        both.put(first).put(second).flip();
        return both;
    }

    private static ByteBuffer encode(Response response, boolean close) {
        StringBuilder h = new StringBuilder(320);
        h.append("HTTP/1.1 ").append(response.status()).append(' ').append(reason(response.status())).append("\r\n");
        response.headers().forEach((name, value) -> h.append(name).append(": ").append(value).append("\r\n"));
        h.append("Content-Length: ").append(response.body().length).append("\r\n");
        h.append("Date: ").append(HTTP_DATE.format(ZonedDateTime.now(ZoneOffset.UTC))).append("\r\n");
        if (close) {
            h.append("Connection: close\r\n");
        }
        h.append("\r\n");
        byte[] headBytes = h.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(headBytes.length + response.body().length);
        b.put(headBytes).put(response.body()).flip();
        return b;
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 408 -> "Request Timeout";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            default -> "Status";
        };
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            // closing; nothing to do
        }
    }
}
