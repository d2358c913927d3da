package io.berth.admin.e2e;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real Berth server as a separate process: {@code ./berth server} from the repository root
 * (or {@code java -jar admin-api/target/berth.jar server conf/berth.yml} when the launcher is
 * missing), on free ports bound to 127.0.0.1, with its own data folder. Its output goes to
 * {@code admin-api/target/e2e/<name>-berth.log}; a failing test gets the log's tail attached.
 *
 * <p>As a JUnit extension ({@code @RegisterExtension static BerthProcess berth = new BerthProcess("x")})
 * it starts before the class's tests and stops after them, deleting its data folder. It can be
 * stopped gracefully, killed with SIGKILL, and started again on the same data folder and ports.
 *
 * <p>Authentication is on, as it is by default: the first start creates {@value #ADMIN_USER} with
 * {@link #ADMIN_PASSWORD} (from {@code BERTH_ADMIN_PASSWORD}), unless a test sets that variable to
 * {@code ""} with {@link #withEnv}, in which case Berth generates one into
 * {@code <data dir>/initial-admin-password} and {@link #adminPassword()} reads it from there.
 */
public final class BerthProcess implements BeforeAllCallback, AfterAllCallback, TestExecutionExceptionHandler,
        LifecycleMethodExecutionExceptionHandler, AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration STOP_GRACE = Duration.ofSeconds(60);
    /** The built-in system admin. */
    public static final String ADMIN_USER = "admin";
    /** The admin's password in these tests: meets the policy (8 to 72 characters, upper, lower, digit). */
    public static final String ADMIN_PASSWORD = "E2e-Berth-Admin-7";

    private final String name;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Path repoRoot;
    private Path dataDir;
    private Path logFile;
    private int registryPort;
    private int adminPort;
    private int opsPort;
    private final Map<String, String> extraEnv = new LinkedHashMap<>();
    private Process process;
    private int starts;

    public BerthProcess(String name) {
        this.name = name;
    }

    // ---- JUnit ---------------------------------------------------------------------------

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw withLogTail(throwable);
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw withLogTail(throwable);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw withLogTail(throwable);
    }

    @Override
    public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw withLogTail(throwable);
    }

    private Throwable withLogTail(Throwable throwable) {
        if (logFile != null && !(throwable instanceof org.opentest4j.TestAbortedException)) {
            String tail = logTail(80);
            System.err.println("---- berth log tail (" + logFile + ") ----\n" + tail);
            throwable.addSuppressed(new AssertionError("berth log tail (" + logFile + "):\n" + tail));
        }
        return throwable;
    }

    // ---- lifecycle -----------------------------------------------------------------------

    /** Starts the server (the first time: picks ports and a data folder) and waits until it is ready. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("berth is already running as pid " + process.pid());
        }
        if (dataDir == null) {
            repoRoot = E2e.repoRoot();
            dataDir = E2e.tempDir(name + "-data");
            logFile = E2e.logDir().resolve(name + "-berth.log");
            registryPort = E2e.freePort();
            adminPort = E2e.freePort();
            opsPort = E2e.freePort();
            try {
                Files.deleteIfExists(logFile);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        starts++;
        List<String> command = command();
        appendToLog("==== berth start #" + starts + " at " + Instant.now() + ": " + String.join(" ", command)
                + " (registry 127.0.0.1:" + registryPort + ", admin 127.0.0.1:" + adminPort + ", ops 127.0.0.1:" + opsPort
                + ", data " + dataDir + ")\n");
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(repoRoot.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Map<String, String> env = pb.environment();
        env.put("BERTH_DATA_DIR", dataDir.toString());
        env.put("BERTH_REGISTRY_PORT", Integer.toString(registryPort));
        env.put("BERTH_REGISTRY_BIND", "127.0.0.1");
        env.put("BERTH_ADMIN_PORT", Integer.toString(adminPort));
        env.put("BERTH_ADMIN_BIND", "127.0.0.1");
        env.put("BERTH_OPS_PORT", Integer.toString(opsPort));
        env.put("BERTH_OPS_BIND", "127.0.0.1");
        env.put("BERTH_AUTH_ENABLED", "true"); // the default, whatever the calling shell says
        env.put("BERTH_ADMIN_PASSWORD", ADMIN_PASSWORD);
        env.putAll(extraEnv);
        if (env.get("JAVA_HOME") == null && Runtime.version().feature() >= 21) {
            env.put("JAVA_HOME", System.getProperty("java.home"));
        }
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new AssertionError("cannot start " + command + ": " + e, e);
        }
        awaitReady();
    }

    /** {@code ./berth server}, or the jar with a JDK 21+ when the launcher is not there. */
    private List<String> command() {
        Path launcher = repoRoot.resolve("berth");
        if (Files.isExecutable(launcher)) {
            return List.of(launcher.toString(), "server");
        }
        Path jar = repoRoot.resolve("admin-api/target/berth.jar");
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError("neither ./berth nor " + jar + " exists: run mvn package first");
        }
        return List.of(java21().toString(), "-jar", jar.toString(), "server", "conf/berth.yml");
    }

    private static Path java21() {
        if (Runtime.version().feature() >= 21) {
            return Path.of(System.getProperty("java.home"), "bin", "java");
        }
        String home = System.getenv("JAVA_HOME");
        if (home != null && Files.isExecutable(Path.of(home, "bin", "java"))) {
            return Path.of(home, "bin", "java");
        }
        throw new AssertionError("no JDK 21+ to run berth.jar: set JAVA_HOME");
    }

    private void awaitReady() {
        Instant started = Instant.now();
        Instant deadline = started.plus(READY_TIMEOUT);
        String last = "no answer yet";
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("berth exited with " + process.exitValue() + " before it was ready; log "
                        + logFile + ":\n" + logTail(80));
            }
            try {
                HttpResponse<String> v2 = get(registry().resolve("/v2/"));
                if (v2.statusCode() == 200 || v2.statusCode() == 401) {
                    HttpResponse<String> health = get(admin().resolve("/admin/healthcheck"));
                    if (health.statusCode() == 200 && !health.body().contains("\"healthy\":false")) {
                        appendToLog("==== berth ready after " + Duration.between(started, Instant.now()).toMillis() + " ms (pid "
                                + process.pid() + ", " + process.info().command().orElse("?") + ")\n");
                        return;
                    }
                    last = "healthcheck " + health.statusCode() + ": " + health.body();
                } else {
                    last = "/v2/ answered " + v2.statusCode();
                }
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for berth", e);
            }
            sleep(250);
        }
        Proc.killTree(process.toHandle(), Duration.ofSeconds(10));
        throw new AssertionError("berth was not ready after " + READY_TIMEOUT + " (" + last + "); log " + logFile
                + ":\n" + logTail(80));
    }

    private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Stops the server with SIGTERM (SIGKILL after a minute) and waits until it is gone. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        boolean clean = Proc.terminate(process.toHandle(), STOP_GRACE);
        appendToLog("==== berth stopped " + (clean ? "gracefully" : "by SIGKILL after " + STOP_GRACE) + "\n");
        reap();
    }

    /** Kills the server with SIGKILL (by its pid, no chance to clean up) and waits until it is gone. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        long pid = process.pid();
        Proc.killTree(process.toHandle(), Duration.ofSeconds(30));
        appendToLog("\n==== berth pid " + pid + " killed with SIGKILL at " + Instant.now() + "\n");
        reap();
    }

    private void reap() {
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("berth pid " + process.pid() + " is still alive");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops (gracefully) if running, then starts again on the same data folder and ports. */
    public void restart() {
        stop();
        start();
    }

    @Override
    public synchronized void close() {
        try {
            if (process != null && process.isAlive()) {
                stop();
            }
        } finally {
            E2e.deleteTree(dataDir);
        }
    }

    /** Sets an environment variable for the next {@link #start()} (e.g. BERTH_HEAP). */
    public synchronized BerthProcess withEnv(String name, String value) {
        extraEnv.put(name, value);
        return this;
    }

    // ---- accessors -----------------------------------------------------------------------

    public URI registry() {
        return URI.create("http://127.0.0.1:" + registryPort);
    }

    /** The admin API port: {@code /api/v1}, {@code /admin/healthcheck}, {@code /admin/metrics}. */
    public URI admin() {
        return URI.create("http://127.0.0.1:" + adminPort);
    }

    /** {@code 127.0.0.1:<port>}, the registry host as image references spell it. */
    public String hostPort() {
        return "127.0.0.1:" + registryPort;
    }

    /** The admin's password: {@link #ADMIN_PASSWORD}, or the one Berth generated when BERTH_ADMIN_PASSWORD was empty. */
    public String adminPassword() {
        String given = extraEnv.getOrDefault("BERTH_ADMIN_PASSWORD", ADMIN_PASSWORD);
        if (!given.isEmpty()) {
            return given;
        }
        Path file = dataDir.resolve("initial-admin-password");
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new AssertionError("BERTH_ADMIN_PASSWORD was empty, but the generated password is not in " + file, e);
        }
    }

    /** {@code admin:<password>}, as skopeo's {@code --creds} and ctr's {@code --user} take it. */
    public String adminCredentials() {
        return ADMIN_USER + ":" + adminPassword();
    }

    /** A V2 client signed in as the admin through the token service, as docker, podman and skopeo do. */
    public V2Client v2() {
        return V2Client.withTokens(registry(), ADMIN_USER, adminPassword());
    }

    /**
     * How many requests the registry has answered on one route so far ({@code token.get},
     * {@code token.post}, …): the count of its {@code berth.registry.requests.<route>} timer in
     * {@code /admin/metrics}, 0 before the first.
     */
    public long requestCount(String route) {
        try {
            HttpResponse<String> metrics = get(admin().resolve("/admin/metrics"));
            if (metrics.statusCode() != 200) {
                throw new AssertionError("GET /admin/metrics answered " + metrics.statusCode() + ": " + metrics.body());
            }
            return V2Client.JSON.readTree(metrics.body()).path("timers").path("berth.registry.requests." + route)
                    .path("count").asLong(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path logFile() {
        return logFile;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public String logTail(int lines) {
        return Proc.tail(logFile, lines);
    }

    private void appendToLog(String line) {
        try {
            Files.writeString(logFile, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("cannot write " + logFile + ": " + e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
