package dev.rotation.local.secretsmanager;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Where the local Secrets Manager records its {@link AuditEvent}s: an append-only file of one JSON
 * object per line (CloudTrail's event format), and any {@link Listener}s, called in order on the
 * thread that recorded the event. A listener that throws is logged and does not stop the others or
 * the server. Thread-safe.
 *
 * <pre>{@code
 * LocalSecretsManager.builder()
 *     .auditLog(dir.resolve("audit.log"))
 *     .auditListener(e -> { if (e.eventName().equals("RotationFailed")) alert(e); })
 *     ...
 * List<AuditEvent> all = AuditTrail.read(dir.resolve("audit.log"));
 * }</pre>
 */
public final class AuditTrail implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(AuditTrail.class.getName());

    /** Receives every event once it is written. */
    @FunctionalInterface
    public interface Listener {
        void onEvent(AuditEvent event);
    }

    private final Path file;
    private final BufferedWriter out;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private boolean failed;
    private boolean closed;

    private AuditTrail(Path file, BufferedWriter out) {
        this.file = file;
        this.out = out;
    }

    /** Records to listeners only. */
    static AuditTrail inMemory() {
        return new AuditTrail(null, null);
    }

    /**
     * Appends to {@code file} (created with mode 600, and its folder if missing). Throws
     * UncheckedIOException naming the file if it cannot be opened.
     */
    static AuditTrail toFile(Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            if (!Files.exists(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE);
            return new AuditTrail(file, w);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the audit log " + file, e);
        }
    }

    /** The file written to, or null when only listeners receive the events. */
    Path file() {
        return file;
    }

    void addListener(Listener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Writes the event (one line, flushed) and hands it to the listeners. */
    void record(AuditEvent event) {
        if (out != null) {
            synchronized (this) {
                if (!closed) {
                    try {
                        out.write(event.toJson());
                        out.write('\n');
                        out.flush();
                        failed = false;
                    } catch (IOException e) {
                        if (!failed) {
                            failed = true; // once per outage, not once per request
                            LOG.log(System.Logger.Level.ERROR, "writing the audit log " + file + " failed: "
                                    + e.getMessage());
                        }
                    }
                }
            }
        }
        for (Listener l : listeners) {
            try {
                l.onEvent(event);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "an audit listener failed on " + event.eventName() + ": " + e);
            }
        }
    }

    /**
     * Reads an audit log back, oldest first. A last line cut short (the server stopped while writing
     * it) is skipped; any other line that is not an event is an IllegalArgumentException naming its
     * line number.
     */
    public static List<AuditEvent> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<AuditEvent> events = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            try {
                events.add(AuditEvent.parse(line));
            } catch (IllegalArgumentException e) {
                if (i == lines.size() - 1) {
                    break; // a torn last line
                }
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + e.getMessage());
            }
        }
        return events;
    }

    @Override
    public synchronized void close() {
        if (closed || out == null) {
            closed = true;
            return;
        }
        closed = true;
        try {
            out.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing the audit log " + file + " failed: " + e.getMessage());
        }
    }
}
