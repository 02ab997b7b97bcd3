package dev.rotation.local.secretsmanager;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A local AWS Secrets Manager that the AWS SDKs and CLI talk to over HTTP (AWS JSON 1.1), with the
 * service's staging-label rules, asynchronous rotation through a {@link RotationInvoker}, rotation
 * schedules against an injectable {@link Clock}, and optional encrypted persistence.
 *
 * <p>It answers anyone who can reach its port, without authentication, so it listens on loopback
 * unless {@link Builder#allowRemote(boolean)} says otherwise, and refuses requests whose Host header
 * names another site (DNS rebinding from a browser; see {@link Builder#allowedHost(String)}). A request
 * must arrive within {@link Builder#requestReadTimeout(Duration)}; clients that stall do not hold up
 * the others.
 *
 * <pre>{@code
 * try (LocalSecretsManager server = LocalSecretsManager.builder()
 *         .port(0)
 *         .clock(clock)
 *         .rotationInvoker(new InProcessInvoker().register("my-rotation", handler))
 *         .build()
 *         .start()) {
 *     SecretsManagerClient client = SecretsManagerClient.builder().endpointOverride(server.endpoint())...;
 *     client.rotateSecret(...);
 *     server.awaitRotations(Duration.ofSeconds(30));
 * }
 * }</pre>
 */
public final class LocalSecretsManager implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LocalSecretsManager.class.getName());

    static {
        // One line per log record (the JDK default spreads each over two), unless configured otherwise.
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format",
                    "%1$tF %1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
        }
    }

    /**
     * Attempts of a whole rotation before giving up. The service retries a failed rotation several
     * times with the same token; five attempts make every step run again after a transient failure
     * (a database restart, a password change still propagating) while a broken function still
     * fails within seconds, not minutes, in a test.
     */
    public static final int DEFAULT_MAX_ROTATION_ATTEMPTS = 5;

    /** Lambda's maximum timeout: a step that runs longer fails as a timed-out invocation would. */
    public static final Duration DEFAULT_ROTATION_STEP_TIMEOUT = Duration.ofMinutes(15);

    /** How long a request may take to arrive, from its first byte, and an idle connection may stay open. */
    public static final Duration DEFAULT_REQUEST_READ_TIMEOUT = Duration.ofSeconds(10);

    /** The account in every ARN the server makes. */
    public static final String ACCOUNT_ID = "123456789012";

    /** The audit log's file name in the data directory, unless {@link Builder#auditLog(Path)} names another. */
    public static final String AUDIT_LOG = "audit.log";

    /**
     * The JVM options a long-running server is started with ({@code serve} relaunches itself with them, the
     * benchmark's server runs with them): a bounded heap and the collector with the least overhead for a
     * small heap; only the first JIT tier, whose code and compiler threads take a fraction of the second's
     * memory (the server's work is parsing and copying small JSON documents, which C1 code does nearly as
     * fast); a smaller code cache and thread stacks. Measured through the throughput benchmark: peak RSS
     * 110 MB instead of 138 MB with only the first two, at the same throughput.
     */
    public static final List<String> BOUNDED_JVM_OPTIONS = List.of("-Xmx64m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=32m", "-Xss512k");

    /**
     * Environment for that JVM: glibc's malloc keeps up to 8 arenas per core, each holding freed memory,
     * for the threads that allocate natively (I/O, JIT); two are plenty for this server.
     */
    public static final Map<String, String> BOUNDED_JVM_ENVIRONMENT = Map.of("MALLOC_ARENA_MAX", "2");

    /** Where a data directory keeps the secrets of regions other than the home region. */
    static final String REGIONS_DIR = "regions";

    /** Threads that run operations; only complete requests reach them. */
    private static final int WORKER_THREADS = 8;

    private final String host;
    private final InetAddress address;
    private final int port;
    private final boolean allowRemote;
    private final List<String> allowedHosts;
    private final Duration requestReadTimeout;
    private final String region;
    private final Duration schedulerInterval;
    private final Path dataDir;
    private final ObjectMapper json = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
    private final AuditTrail audit;
    private final AccessControl access;
    private final Regions regions;
    /** The home region's store. */
    private final SecretStore store;
    private final IamConfig iam;
    private final String webPrefix;
    private final WebRoute webRoute;
    private ApiServer http;
    private ScheduledExecutorService scheduler;
    private URI endpoint;
    private boolean closed;

    private LocalSecretsManager(Builder b, InetAddress address) {
        // Copied, so changing the builder after build() changes nothing here.
        this.host = b.host;
        this.address = address;
        this.port = b.port;
        this.allowRemote = b.allowRemote;
        this.allowedHosts = List.copyOf(b.allowedHosts);
        this.requestReadTimeout = b.requestReadTimeout;
        this.region = b.region;
        this.schedulerInterval = b.schedulerInterval;
        this.dataDir = b.dataDir;
        // The data directory first: its problems are the ones to report.
        SecretPersistence homeSecrets = dataDir == null ? SecretPersistence.IN_MEMORY : FileStore.open(dataDir);
        Path auditFile = b.auditLog != null ? b.auditLog : b.dataDir != null ? b.dataDir.resolve(AUDIT_LOG) : null;
        try {
            this.audit = auditFile == null ? AuditTrail.inMemory() : AuditTrail.toFile(auditFile);
        } catch (RuntimeException e) {
            homeSecrets.close();
            throw e;
        }
        b.auditListeners.forEach(audit::addListener);
        this.iam = b.iam;
        this.webPrefix = b.webPrefix;
        this.webRoute = b.webRoute;
        this.access = b.iam == null ? AccessControl.OFF : new AccessControl(b.iam, Clock.systemUTC());
        Regions made;
        try {
            Clock clock = b.clock;
            RotationInvoker invoker = b.invoker;
            int attempts = b.maxRotationAttempts;
            Duration stepTimeout = b.rotationStepTimeout;
            made = new Regions(region, name -> region(name, name.equals(region) ? homeSecrets
                    : dataDir == null ? SecretPersistence.IN_MEMORY
                    : FileStore.open(dataDir.resolve(REGIONS_DIR).resolve(name)), clock, invoker, attempts, stepTimeout));
            for (String other : storedRegions()) {
                made.get(other);
            }
        } catch (RuntimeException e) {
            homeSecrets.close();
            audit.close();
            throw e;
        }
        this.regions = made;
        this.store = regions.home().store();
    }

    /** A region's store, rotator and operations; its secrets under {@code DATA_DIR/regions/REGION} unless home. */
    private Regions.Region region(String name, SecretPersistence persistence, Clock clock, RotationInvoker invoker,
                                  int attempts, Duration stepTimeout) {
        SecretStore regionStore = new SecretStore(clock, name, ACCOUNT_ID, persistence, audit);
        Rotator rotator = new Rotator(regionStore, audit, invoker, attempts, stepTimeout);
        return new Regions.Region(name, regionStore, rotator, new Operations(regionStore, rotator, json), persistence);
    }

    /** The other regions a data directory holds secrets of. */
    private List<String> storedRegions() {
        Path dir = dataDir == null ? null : dataDir.resolve(REGIONS_DIR);
        if (dir == null || !java.nio.file.Files.isDirectory(dir)) {
            return List.of();
        }
        try (var list = java.nio.file.Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).filter(SecretStore::isRegion).sorted().toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Cannot read " + dir, e);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Binds the port and starts serving (and the rotation scheduler, unless disabled); returns this. */
    public synchronized LocalSecretsManager start() {
        if (http != null) {
            return this;
        }
        ApiHandler api = new ApiHandler(regions, json, access, audit);
        http = ApiServer.start(new InetSocketAddress(address, port),
                HostCheck.of(host, address, allowRemote, allowedHosts), requestReadTimeout,
                webRoute == null ? api : new WebRoutes(api, webPrefix, webRoute, iam, region), WORKER_THREADS);
        // Bound to all interfaces, the server is still reached (and its functions reach it) over loopback.
        String hostInUrl = address.isAnyLocalAddress()
                ? (address.getAddress().length == 4 ? "127.0.0.1" : "[::1]")
                : host.contains(":") ? "[" + host + "]" : host;
        endpoint = URI.create("http://" + hostInUrl + ":" + http.port());
        if (!address.isLoopbackAddress()) {
            LOG.log(System.Logger.Level.WARNING, "listening on " + address.getHostAddress() + ":" + http.port()
                    + ", which is not a loopback address: every secret is served, unauthenticated, to anyone "
                    + "who can reach it");
        }
        if (!schedulerInterval.isZero()) {
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "secretsmanager-scheduler");
                t.setDaemon(true);
                return t;
            });
            long ms = schedulerInterval.toMillis();
            scheduler.scheduleWithFixedDelay(this::tick, ms, ms, TimeUnit.MILLISECONDS);
        }
        return this;
    }

    private void tick() {
        try {
            runDueRotations();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "the rotation scheduler failed; it will try again", e);
        }
    }

    /** The URL to give the SDK's {@code endpointOverride} or the CLI's {@code --endpoint-url}. */
    public URI endpoint() {
        if (endpoint == null) {
            throw new IllegalStateException("start() the server first");
        }
        return endpoint;
    }

    /**
     * The home region (us-east-1 unless set): requests that name no region are answered there. The server
     * answers every other region too, each with its own secrets.
     */
    public String region() {
        return region;
    }

    /**
     * Waits until no rotation is running or queued. Returns true once idle, false if the timeout
     * passed first. Tests use this instead of sleeping.
     */
    public boolean awaitRotations(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (Regions.Region r : regions.all()) {
                if (!r.rotator().awaitIdle(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Does now what the background scheduler does every interval: purges secrets whose recovery
     * window has ended and starts the scheduled rotations whose window is open at the clock's
     * current time. Returns how many rotations it started.
     */
    public int runDueRotations() {
        int started = 0;
        for (Regions.Region r : regions.all()) {
            r.store().purgeExpired();
            started += r.rotator().runDue();
        }
        return started;
    }

    /**
     * Creates a secret as another AWS service would, for tests of code that must treat such secrets
     * differently; no client can do this through the API. The secret is owned by {@code owningService}
     * (DescribeSecret and ListSecrets show it as {@code OwningService}; the {@code owning-service} filter
     * finds it) and carries {@code systemTags}, whose keys start with {@code aws:}, plus
     * {@code aws:secretsmanager:owningService} as the service adds it. TagResource and UntagResource
     * still refuse {@code aws:} keys. For example, as RDS creates a managed master user secret:
     *
     * <pre>{@code
     * server.createManagedSecret("rds!db-" + UUID.randomUUID(), "rds", masterJson,
     *         Map.of("aws:rds:primaryDBInstanceArn", "arn:aws:rds:us-east-1:123456789012:db:prod"));
     * }</pre>
     *
     * @param name the secret's name; managed names may contain {@code !}
     * @param owningService the service's id, such as {@code rds}
     * @param secretString the value, stored as the AWSCURRENT version
     * @param systemTags tags whose keys start with {@code aws:}
     * @return the secret's ARN
     * @throws IllegalArgumentException if a parameter breaks these rules or the service's limits, or the
     *     name is taken
     */
    public String createManagedSecret(String name, String owningService, String secretString,
                                      Map<String, String> systemTags) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(secretString, "secretString");
        Objects.requireNonNull(systemTags, "systemTags");
        if (owningService == null || !owningService.matches("[a-z][a-z0-9-]{0,63}")) {
            throw new IllegalArgumentException("owningService is a service id such as rds, got '"
                    + Validation.printable(owningService) + "'");
        }
        try {
            return store.createManagedSecret(name, owningService, SecretValue.ofString(secretString), systemTags).arn();
        } catch (ServiceException e) {
            throw new IllegalArgumentException(e.type() + ": " + e.getMessage());
        }
    }

    /**
     * The latest rotation's outcome for a secret (a name in the home region, or an ARN in its region), also
     * shown by DescribeSecret.
     */
    public Optional<RotationOutcome> rotationOutcome(String secretId) {
        String[] arn = secretId.split(":", 5);
        SecretStore in = arn.length == 5 && arn[0].equals("arn") && SecretStore.isRegion(arn[3])
                ? regions.existing(arn[3]).orElse(store) : store;
        return in.outcome(secretId);
    }

    /** Stops serving, stops the scheduler and interrupts running rotations. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (http != null) {
            http.close();
        }
        regions.close();
        audit.close();
    }

    /** The audit log being written, if any (under the data directory unless set otherwise). */
    public Optional<Path> auditLog() {
        return Optional.ofNullable(audit.file());
    }

    /** Settings for a {@link LocalSecretsManager}; {@link #build()} opens the data directory if one is set. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 4566;
        private boolean allowRemote;
        private final List<String> allowedHosts = new ArrayList<>();
        private Duration requestReadTimeout = DEFAULT_REQUEST_READ_TIMEOUT;
        private Clock clock = Clock.systemUTC();
        private RotationInvoker invoker;
        private Path dataDir;
        private int maxRotationAttempts = DEFAULT_MAX_ROTATION_ATTEMPTS;
        private Duration rotationStepTimeout = DEFAULT_ROTATION_STEP_TIMEOUT;
        private String region = "us-east-1";
        private Path auditLog;
        private final List<AuditTrail.Listener> auditListeners = new ArrayList<>();
        private IamConfig iam;
        private Duration schedulerInterval = Duration.ofMinutes(1);
        private String webPrefix;
        private WebRoute webRoute;

        private Builder() {
        }

        /**
         * Address (or name) to listen on; 127.0.0.1 by default. One that is not a loopback address needs
         * {@link #allowRemote(boolean)}.
         */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /**
         * Allows a {@link #host(String)} that is not a loopback address (default false): every secret is
         * then served, without authentication, to anyone who can reach that address, and {@link #start()}
         * logs a warning saying so. Requests may then also name the server by any IP address in their
         * Host header; names still need {@link #allowedHost(String)}.
         */
        public Builder allowRemote(boolean allowRemote) {
            this.allowRemote = allowRemote;
            return this;
        }

        /**
         * Accepts requests whose Host header is this DNS name (any port), in addition to localhost, the
         * loopback addresses, the bound address and the host given to listen on. Every other name is
         * refused with AccessDeniedException: a web page that points its own domain at this address
         * (DNS rebinding) cannot read the secrets through a browser. May be called more than once.
         */
        public Builder allowedHost(String name) {
            if (!HostCheck.isName(name)) {
                throw new IllegalArgumentException("an allowed host is a DNS name such as devbox.internal, got '"
                        + Validation.printable(name) + "'");
            }
            this.allowedHosts.add(name);
            return this;
        }

        /**
         * How long a request may take to arrive from its first byte, and a connection may stay idle, before
         * the server closes it (default 10 seconds); a stalled request is answered with
         * RequestTimeoutException (HTTP 408). A client also has as long to take its answer.
         */
        public Builder requestReadTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("requestReadTimeout must be positive");
            }
            this.requestReadTimeout = timeout;
            return this;
        }

        /** Port to listen on (default 4566); 0 picks a free one, see {@link #endpoint()}. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0-65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /** The clock for every date and for schedules (default: the system clock in UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Runs rotation steps; without one, rotations fail at the first step ("no function"). */
        public Builder rotationInvoker(RotationInvoker invoker) {
            this.invoker = invoker;
            return this;
        }

        /** Persist secrets here, values encrypted with AES-256-GCM; in memory only when unset. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** Attempts of a whole rotation before giving up (default {@value #DEFAULT_MAX_ROTATION_ATTEMPTS}). */
        public Builder maxRotationAttempts(int attempts) {
            if (attempts < 1) {
                throw new IllegalArgumentException("maxRotationAttempts must be at least 1, got " + attempts);
            }
            this.maxRotationAttempts = attempts;
            return this;
        }

        /**
         * How long one step may run before it fails with Lambda's "Task timed out" (default 15
         * minutes, Lambda's maximum); the step's thread is interrupted.
         */
        public Builder rotationStepTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("rotationStepTimeout must be positive");
            }
            this.rotationStepTimeout = timeout;
            return this;
        }

        /**
         * Writes the audit trail (one CloudTrail-format JSON event per line, see {@link AuditEvent}) to this
         * file; by default {@value #AUDIT_LOG} in the data directory, and none without one.
         */
        public Builder auditLog(Path file) {
            this.auditLog = file;
            return this;
        }

        /** Also hands every audit event to {@code listener}, on the thread that recorded it. May be called more than once. */
        public Builder auditListener(AuditTrail.Listener listener) {
            this.auditListeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Turns access control on: every request must be signed (SigV4) with one of the config's access
         * keys, and is allowed only as IAM would allow it for that key's principal, from its identity
         * policies and the secret's resource policy. Off by default: any signature is accepted.
         */
        public Builder iam(IamConfig config) {
            this.iam = config;
            return this;
        }

        /**
         * Also serves {@code route} for the paths {@code prefix} (such as {@code /console}) and below, on the
         * same address and behind the same Host check as the API; one route at most.
         */
        public Builder webRoute(String prefix, WebRoute route) {
            if (prefix == null || !prefix.matches("/[a-z][a-z0-9-]*")) {
                throw new IllegalArgumentException("a web route's prefix is /name, got '" + Validation.printable(prefix)
                        + "'");
            }
            this.webPrefix = prefix;
            this.webRoute = Objects.requireNonNull(route, "route");
            return this;
        }

        /** The home region (default us-east-1): the one requests that name no region are answered in. */
        public Builder region(String region) {
            if (!SecretStore.isRegion(region)) {
                throw new IllegalArgumentException("region is a Region code such as eu-west-1, got '"
                        + Validation.printable(region) + "'");
            }
            this.region = region;
            return this;
        }

        /**
         * How often the background scheduler runs {@link #runDueRotations()} (default one minute);
         * {@link Duration#ZERO} turns it off, for tests that drive schedules themselves.
         */
        public Builder schedulerInterval(Duration interval) {
            if (interval.isNegative()) {
                throw new IllegalArgumentException("schedulerInterval must not be negative");
            }
            this.schedulerInterval = interval;
            return this;
        }

        /**
         * Checks the settings and opens the data directory. Throws IllegalArgumentException if the host
         * cannot be resolved, or is not a loopback address and {@link #allowRemote(boolean)} is not set.
         */
        public LocalSecretsManager build() {
            InetAddress address;
            try {
                address = InetAddress.getByName(host);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("host " + Validation.printable(host) + " cannot be resolved");
            }
            if (!address.isLoopbackAddress() && !allowRemote) {
                throw new IllegalArgumentException("host " + Validation.printable(host) + " is not a loopback address: listening there "
                        + "would serve every secret, unauthenticated, to the network; allow it explicitly "
                        + "(serve --allow-remote, or allowRemote(true))");
            }
            return new LocalSecretsManager(this, address);
        }
    }
}
