package io.berth.admin.e2e;

import io.berth.store.testing.Requirements;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * podman as root with stores of its own: each named store has its root under the work folder and
 * its runroot in a short folder directly in /tmp (podman wants runroot paths under 50 characters),
 * the vfs driver, and one auth file of the work folder ({@code REGISTRY_AUTH_FILE}) that
 * {@code podman login} writes and every podman reads, so the host's credentials are neither used
 * nor touched. {@link #close()} removes the runroots; the work folder is the caller's.
 */
public final class Podman implements AutoCloseable {
    private final String podman;
    private final Path work;
    private final Path runRoots;
    private Path registriesConf;

    private Podman(String podman, Path work, Path runRoots) {
        this.podman = podman;
        this.work = work;
        this.runRoots = runRoots;
    }

    /** Skips (or fails, with BERTH_E2E_REQUIRED=1) unless podman is installed. */
    public static Podman require(Path work) {
        String podman = Requirements.executable("podman");
        try {
            Files.createDirectories(work);
            if (!Files.exists(work.resolve("auth.json"))) {
                Files.writeString(work.resolve("auth.json"), "{}"); // podman refuses a REGISTRY_AUTH_FILE that is not there
            }
            return new Podman(podman, work, Files.createTempDirectory(Path.of("/tmp"), "pr"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs podman on the store named {@code store} (created on first use); fails the test unless it exits 0. */
    public Proc.Result ok(String store, String... args) {
        return run(store, null, args).assertOk();
    }

    /** Runs podman on the store named {@code store} with {@code stdin} (null: none) as its input. */
    public Proc.Result run(String store, String stdin, String... args) {
        Path root = work.resolve("store-" + store);
        List<String> command = new ArrayList<>(List.of(podman, "--root", root.resolve("root").toString(),
                "--runroot", runRoots.resolve(store).toString(), "--storage-driver", "vfs"));
        command.addAll(List.of(args));
        Path tmp = work.resolve("tmp");
        try {
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> env = new HashMap<>(Map.of("TMPDIR", tmp.toString(),
                "REGISTRY_AUTH_FILE", authFile().toString()));
        if (registriesConf != null) {
            env.put("CONTAINERS_REGISTRIES_CONF", registriesConf.toString());
        }
        return Proc.run(command, env, Proc.DEFAULT_TIMEOUT, stdin);
    }

    /** Makes every later podman run read {@code file} as its registries.conf (mirrors, search registries). */
    public Podman withRegistriesConf(Path file) {
        this.registriesConf = file;
        return this;
    }

    /** {@code podman login --tls-verify=false -u <user> --password-stdin <registry>}; returns what happened. */
    public Proc.Result login(String registry, String user, String password) {
        return run("login", password, "login", "--tls-verify=false", "-u", user, "--password-stdin", registry);
    }

    /** {@code podman logout <registry>}; fails the test unless it exits 0. */
    public Proc.Result logout(String registry) {
        return ok("login", "logout", registry);
    }

    /** The auth file {@code podman login} writes and every podman here reads. */
    public Path authFile() {
        return work.resolve("auth.json");
    }

    @Override
    public void close() {
        E2e.deleteTree(runRoots);
    }
}
