package io.berth.admin.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/** Small shared helpers of the end-to-end tests: ports, folders, digests, the repository root. */
public final class E2e {
    private E2e() {
    }

    /** A TCP port that was free on 127.0.0.1 a moment ago. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The repository root: {@code BERTH_REPO_ROOT} (set by the build), else found upwards from here. */
    public static Path repoRoot() {
        String env = System.getenv("BERTH_REPO_ROOT");
        if (env != null && !env.isBlank() && Files.isDirectory(Path.of(env, "conf"))) {
            return Path.of(env).toAbsolutePath().normalize();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("conf/berth.yml")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the repository root: set BERTH_REPO_ROOT");
    }

    /** A folder for logs kept after the run: admin-api/target/e2e. */
    public static Path logDir() {
        Path dir = repoRoot().resolve("admin-api/target/e2e");
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new temporary folder; delete it with {@link #deleteTree(Path)}. */
    public static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory("berth-e2e-" + prefix + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Deletes a folder tree, first unmounting anything still mounted below it (a daemon that
     * died may leave mounts behind). Best effort: reports what it could not delete on stderr.
     */
    public static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        unmountBelow(root);
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    // vfs layers and tar extraction can leave read-only folders
                    dir.toFile().setWritable(true, false);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // chattr'ed or busy files: fall back to rm, which knows more tricks
            Proc.Result rm = Proc.run(List.of("rm", "-rf", "--one-file-system", root.toString()));
            if (!rm.ok()) {
                System.err.println("could not delete " + root + ": " + e + "\n" + rm.describe());
            }
        }
    }

    /** Unmounts (lazily, deepest first) every mount point at or below {@code root}. */
    public static void unmountBelow(Path root) {
        List<String> mounts = mountsBelow(root);
        mounts.sort(Comparator.comparingInt(String::length).reversed());
        for (String m : mounts) {
            Proc.Result r = Proc.run(List.of("umount", "-l", m));
            if (!r.ok()) {
                System.err.println("could not unmount " + m + ":\n" + r.describe());
            }
        }
    }

    /** Mount points at or below {@code root}, from /proc/self/mountinfo. */
    public static List<String> mountsBelow(Path root) {
        String prefix = root.toAbsolutePath().normalize().toString();
        List<String> found = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
                String[] f = line.split(" ");
                if (f.length > 4) {
                    String point = f[4].replace("\\040", " ");
                    if (point.equals(prefix) || point.startsWith(prefix + "/")) {
                        found.add(point);
                    }
                }
            }
        } catch (IOException e) {
            // no /proc: nothing we can do
        }
        return found;
    }

    public static String sha256(byte[] bytes) {
        return "sha256:" + HexFormat.of().formatHex(hasher().digest(bytes));
    }

    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return sha256(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the stream to its end and returns the sha256 digest of what it held. */
    public static String sha256(InputStream in) throws IOException {
        MessageDigest md = hasher();
        byte[] buffer = new byte[1 << 16];
        int n;
        while ((n = in.read(buffer)) > 0) {
            md.update(buffer, 0, n);
        }
        return "sha256:" + HexFormat.of().formatHex(md.digest());
    }

    public static MessageDigest hasher() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
