package dev.rotation.local.secretsmanager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Persists each secret as one JSON file under {@code DATA_DIR/secrets/}, every secret value sealed
 * with {@link ValueCipher}. A write goes to a temporary file that is fsynced and then atomically
 * renamed over the old file (and the directory fsynced), so a crash leaves either the old or the
 * new committed state, never a torn one; leftover temporary files are removed at start.
 */
final class FileStore implements SecretPersistence {
    private static final System.Logger LOG = System.getLogger(FileStore.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final ValueCipher cipher;
    /** Sealed values by ARN and version id: a version's value never changes, so seal it once. */
    private final Map<String, String> sealed = new ConcurrentHashMap<>();

    private FileStore(Path dir, ValueCipher cipher) {
        this.dir = dir;
        this.cipher = cipher;
    }

    static FileStore open(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            Path secrets = dataDir.resolve("secrets");
            Files.createDirectories(secrets);
            Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
            Files.setPosixFilePermissions(secrets, PosixFilePermissions.fromString("rwx------"));
            return new FileStore(secrets, ValueCipher.openOrCreate(dataDir));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the data directory " + dataDir, e);
        }
    }

    @Override
    public List<Secret> loadAll() {
        List<Secret> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(".tmp")) {
                    // An interrupted write: the committed file beside it is intact.
                    Files.deleteIfExists(f);
                } else if (name.endsWith(".json")) {
                    out.add(read(f));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the data directory " + dir, e);
        }
        return out;
    }

    @Override
    public void save(Secret s) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(toJson(s));
        } catch (IOException e) {
            throw ServiceException.internal("Serialising a secret failed: " + e.getClass().getSimpleName());
        }
        try {
            Path tmp = Files.createTempFile(dir, s.fileId + "-", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, file(s), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            fsync(dir);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, "writing " + file(s) + " failed", e);
            throw ServiceException.internal("Writing the secret to the data directory failed: " + e.getMessage());
        }
    }

    @Override
    public void delete(Secret s) {
        try {
            Files.deleteIfExists(file(s));
            fsync(dir);
            sealed.keySet().removeIf(k -> k.startsWith(s.arn + "\n"));
        } catch (IOException e) {
            throw ServiceException.internal("Removing the secret from the data directory failed: " + e.getMessage());
        }
    }

    private Path file(Secret s) {
        return dir.resolve(s.fileId + ".json");
    }

    static void fsync(Path path) throws IOException {
        boolean isDir = Files.isDirectory(path);
        try (FileChannel ch = FileChannel.open(path, isDir ? StandardOpenOption.READ : StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    private ObjectNode toJson(Secret s) {
        ObjectNode o = JSON.createObjectNode();
        o.put("FileId", s.fileId).put("ARN", s.arn).put("Name", s.name);
        putInstant(o, "CreatedDate", s.createdDate);
        o.put("Description", s.description).put("KmsKeyId", s.kmsKeyId).put("OwningService", s.owningService);
        ObjectNode tags = o.putObject("Tags");
        s.tags.forEach(tags::put);
        putInstant(o, "LastChangedDate", s.lastChangedDate);
        putInstant(o, "LastAccessedDate", s.lastAccessedDate);
        putInstant(o, "LastRotatedDate", s.lastRotatedDate);
        putInstant(o, "DeletedDate", s.deletedDate);
        if (s.rotationEnabled != null) {
            o.put("RotationEnabled", s.rotationEnabled);
        }
        o.put("RotationLambdaARN", s.rotationLambdaArn);
        if (s.rotationRules != null) {
            ObjectNode r = o.putObject("RotationRules");
            r.put("AutomaticallyAfterDays", s.rotationRules.requestedAutomaticallyAfterDays());
            r.put("ScheduleExpression", s.rotationRules.scheduleExpression());
            r.put("Duration", s.rotationRules.duration());
        }
        o.put("ResourcePolicy", s.resourcePolicy);
        putInstant(o, "ScheduleBase", s.scheduleBase);
        putInstant(o, "LastScheduledWindow", s.lastScheduledWindow);
        if (s.lastOutcome != null) {
            RotationOutcome r = s.lastOutcome;
            ObjectNode out = o.putObject("LastOutcome");
            out.put("VersionId", r.versionId()).put("Status", r.status()).put("Step", r.step())
                    .put("Attempts", r.attempts()).put("Reason", r.reason());
            putInstant(out, "Date", r.date());
        }
        o.put("PrimaryRegion", s.primaryRegion);
        ArrayNode replicas = o.putArray("Replicas");
        for (Secret.Replica r : s.replicas) {
            replicas.addObject().put("Region", r.region()).put("KmsKeyId", r.kmsKeyId()).put("Status", r.status())
                    .put("StatusMessage", r.statusMessage());
        }
        ArrayNode versions = o.putArray("Versions");
        for (SecretVersion v : s.versions.values()) {
            ObjectNode vo = versions.addObject();
            vo.put("VersionId", v.versionId);
            putInstant(vo, "CreatedDate", v.createdDate);
            putInstant(vo, "LastAccessedDate", v.lastAccessedDate);
            ArrayNode labels = vo.putArray("Labels");
            v.labels.forEach(labels::add);
            if (v.value != null) {
                vo.put("Sealed", sealed.computeIfAbsent(s.arn + "\n" + v.versionId,
                        k -> cipher.encrypt(v.value, s.arn, v.versionId)));
            }
        }
        return o;
    }

    private Secret read(Path f) throws IOException {
        JsonNode o;
        try {
            o = JSON.readTree(f.toFile());
        } catch (IOException e) {
            throw new IOException("The data file " + f + " is not valid JSON; it was not written by this server", e);
        }
        Secret s = new Secret(o.path("FileId").asText(), o.path("ARN").asText(), o.path("Name").asText(),
                instant(o, "CreatedDate"));
        s.description = text(o, "Description");
        s.kmsKeyId = text(o, "KmsKeyId");
        s.owningService = text(o, "OwningService");
        o.path("Tags").fields().forEachRemaining(e -> s.tags.put(e.getKey(), e.getValue().asText()));
        s.lastChangedDate = instant(o, "LastChangedDate");
        s.lastAccessedDate = instant(o, "LastAccessedDate");
        s.lastRotatedDate = instant(o, "LastRotatedDate");
        s.deletedDate = instant(o, "DeletedDate");
        if (o.hasNonNull("RotationEnabled")) {
            s.rotationEnabled = o.get("RotationEnabled").asBoolean();
        }
        s.rotationLambdaArn = text(o, "RotationLambdaARN");
        JsonNode r = o.path("RotationRules");
        if (r.isObject()) {
            Long days = r.hasNonNull("AutomaticallyAfterDays") ? r.get("AutomaticallyAfterDays").asLong() : null;
            try {
                s.rotationRules = RotationRules.of(days, text(r, "ScheduleExpression"), text(r, "Duration"),
                        s.createdDate);
            } catch (ServiceException e) {
                LOG.log(System.Logger.Level.WARNING, "ignoring the stored rotation rules of " + s.arn + ": "
                        + e.getMessage());
            }
        }
        s.resourcePolicy = text(o, "ResourcePolicy");
        s.scheduleBase = instant(o, "ScheduleBase");
        s.lastScheduledWindow = instant(o, "LastScheduledWindow");
        JsonNode out = o.path("LastOutcome");
        if (out.isObject()) {
            s.lastOutcome = new RotationOutcome(text(out, "VersionId"), text(out, "Status"), text(out, "Step"),
                    out.path("Attempts").asInt(), text(out, "Reason"), instant(out, "Date"));
        }
        s.primaryRegion = text(o, "PrimaryRegion");
        for (JsonNode rep : o.path("Replicas")) {
            s.replicas.add(new Secret.Replica(text(rep, "Region"), text(rep, "KmsKeyId"), text(rep, "Status"),
                    text(rep, "StatusMessage")));
        }
        for (JsonNode vo : o.path("Versions")) {
            String id = vo.path("VersionId").asText();
            SecretValue value = null;
            if (vo.hasNonNull("Sealed")) {
                String sealedValue = vo.get("Sealed").asText();
                value = cipher.decrypt(sealedValue, s.arn, id);
                sealed.put(s.arn + "\n" + id, sealedValue);
            }
            SecretVersion v = new SecretVersion(id, instant(vo, "CreatedDate"), value);
            v.lastAccessedDate = instant(vo, "LastAccessedDate");
            vo.path("Labels").forEach(l -> v.labels.add(l.asText()));
            s.addVersion(v);
        }
        return s;
    }

    private static void putInstant(ObjectNode o, String field, Instant t) {
        if (t != null) {
            o.put(field, t.toString());
        }
    }

    private static Instant instant(JsonNode o, String field) {
        return o.hasNonNull(field) ? Instant.parse(o.get(field).asText()) : null;
    }

    private static String text(JsonNode o, String field) {
        return o.hasNonNull(field) ? o.get(field).asText() : null;
    }
}
