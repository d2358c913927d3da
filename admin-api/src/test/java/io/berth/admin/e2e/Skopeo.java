package io.berth.admin.e2e;

import io.berth.store.testing.Requirements;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs skopeo so that every push really uploads: as root skopeo remembers which blobs a
 * registry already has (in {@code /var/lib/containers/cache}) and skips or mounts them. Each
 * invocation runs in a private mount namespace ({@code unshare -m}) with a fresh empty folder
 * bind-mounted over that cache, so it remembers nothing and the host's cache is untouched.
 * Credentials come only from the command line ({@code --creds}, {@code --src-creds},
 * {@code --dest-creds}): {@code REGISTRY_AUTH_FILE} points at a file of the scratch folder, so
 * nothing the host has signed in to is used, and a {@code skopeo login} would write there.
 */
public final class Skopeo {
    private static final String CACHE = "/var/lib/containers/cache";
    private static final String WRAPPER = "mkdir -p " + CACHE + " && mount --bind \"$0\" " + CACHE + " && exec \"$@\"";

    private final String skopeo;
    private final String unshare;
    private final Path scratch;

    private Skopeo(String skopeo, String unshare, Path scratch) {
        this.skopeo = skopeo;
        this.unshare = unshare;
        this.scratch = scratch;
    }

    /** Skips (or fails, with BERTH_E2E_REQUIRED=1) unless skopeo and a working {@code unshare -m} exist. */
    public static Skopeo require(Path scratch) {
        String skopeo = Requirements.executable("skopeo");
        String unshare = Requirements.executable("unshare");
        Skopeo wrapped = new Skopeo(skopeo, unshare, scratch);
        Proc.Result probe = wrapped.run("--version");
        if (!probe.ok()) {
            Requirements.unavailable("skopeo in a private mount namespace (unshare -m + mount --bind, needs root) does not work"
                    + " here: " + probe.describe());
        }
        return wrapped;
    }

    /** Runs {@code skopeo <args>} with an empty blob-info cache; fails the test unless it exits 0. */
    public Proc.Result ok(String... args) {
        return run(args).assertOk();
    }

    public Proc.Result run(String... args) {
        Path cache;
        try {
            cache = Files.createTempDirectory(scratch, "skopeo-cache-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>(List.of(unshare, "-m", "--propagation", "private", "sh", "-c", WRAPPER,
                cache.toString(), skopeo));
        command.addAll(List.of(args));
        try {
            return Proc.run(command, Map.of("REGISTRY_AUTH_FILE", scratch.resolve("skopeo-auth.json").toString()),
                    Proc.DEFAULT_TIMEOUT);
        } finally {
            E2e.deleteTree(cache);
        }
    }
}
