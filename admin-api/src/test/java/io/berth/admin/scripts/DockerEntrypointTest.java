package io.berth.admin.scripts;

import io.berth.admin.e2e.E2e;
import io.berth.admin.e2e.Proc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code scripts/docker-entrypoint} outside Docker, laid out as in the image (both scripts in one
 * {@code bin/} folder) with a fake {@code java} on the PATH that records who ran it and with which
 * arguments. The root cases (chown, setpriv to uid 10001) need root and setpriv, as in the image;
 * elsewhere they are skipped.
 */
class DockerEntrypointTest {
    private static final String BERTH = "10001";

    private Path work;
    private Path bin;
    private Path record;

    @BeforeEach
    void layOut() throws IOException {
        work = E2e.tempDir("entrypoint");
        bin = Files.createDirectories(work.resolve("bin"));
        for (String script : List.of("docker-entrypoint", "jvm-memory-flags")) {
            Files.copy(E2e.repoRoot().resolve("scripts").resolve(script), bin.resolve(script),
                    StandardCopyOption.COPY_ATTRIBUTES);
        }
        Files.writeString(bin.resolve("java"), """
                #!/bin/sh
                { echo "ids $(id -u):$(id -g) groups $(id -G)"; for a in "$@"; do echo "arg $a"; done; } >"$FAKE_JAVA_RECORD"
                """);
        Path out = Files.createDirectories(work.resolve("out"));
        record = out.resolve("java.txt");
        // Other users (uid 10001 after setpriv) must reach the fake java and write its record.
        setMode(work, "rwxr-xr-x");
        setMode(bin, "rwxr-xr-x");
        setMode(bin.resolve("java"), "rwxr-xr-x");
        setMode(out, "rwxrwxrwx");
    }

    @AfterEach
    void cleanUp() {
        E2e.deleteTree(work);
    }

    @Test
    void runsJavaWithTheConfigTheMemoryFlagsAndTheJar() throws Exception {
        Proc.Result result = entrypoint(List.of(), Map.of("BERTH_HEAP", "1g", "BERTH_JAVA_OPTS", "-Dx=1 -Dy=2"),
                "server", "/etc/berth/berth.yml");
        assertEquals(0, result.exitCode(), result.describe());
        assertEquals(List.of("@/etc/berth/jvm.options", "-Xmx1g", "-Xms64m", "-XX:MaxDirectMemorySize=256m", "-Dx=1",
                "-Dy=2", "-jar", "/opt/berth/berth.jar", "server", "/etc/berth/berth.yml"), javaArgs());
    }

    @Test
    void asRoot_rootOwnedBindMount_isGivenToBerth_andJavaRunsAs10001() throws Exception {
        assumeRootWithSetpriv();
        Path data = Files.createDirectories(work.resolve("data/blobs/sha256/ab"));
        Files.writeString(data.resolve("blob"), "x");
        Path top = work.resolve("data");

        Proc.Result result = entrypoint(List.of(), Map.of("BERTH_DATA_DIR", top.toString()), "server");
        assertEquals(0, result.exitCode(), result.describe());
        assertEquals("ids 10001:10001 groups 10001", javaRecord().get(0));
        try (Stream<Path> all = Files.walk(top)) {
            for (Path p : all.toList()) {
                assertEquals(BERTH + ":" + BERTH, owner(p), p.toString());
            }
        }
    }

    @Test
    void asRoot_missingDataFolder_isCreatedForBerth() throws Exception {
        assumeRootWithSetpriv();
        Path data = work.resolve("new/data");
        assertEquals(0, entrypoint(List.of(), Map.of("BERTH_DATA_DIR", data.toString()), "server").exitCode());
        assertEquals(BERTH + ":" + BERTH, owner(data));
    }

    @Test
    void asRoot_folderAlreadyBerths_isNotWalked() throws Exception {
        assumeRootWithSetpriv();
        Path data = Files.createDirectories(work.resolve("data"));
        Path rootsFile = Files.writeString(data.resolve("left-by-an-admin"), "x");
        chown(data, BERTH + ":" + BERTH);

        Proc.Result result = entrypoint(List.of(), Map.of("BERTH_DATA_DIR", data.toString()), "server");
        assertEquals(0, result.exitCode(), result.describe());
        assertEquals("0:0", owner(rootsFile), "only a folder that was not berth's is walked");
        assertFalse(result.stderr().contains("giving"), result.stderr());
    }

    @Test
    void startedWithUser_runsAsThatUser_andChownsNothing() throws Exception {
        assumeRootWithSetpriv();   // to play "docker run --user 4242:4242"
        Path data = Files.createDirectories(work.resolve("data"));

        Proc.Result result = entrypoint(List.of("setpriv", "--reuid=4242", "--regid=4242", "--clear-groups", "--"),
                Map.of("BERTH_DATA_DIR", data.toString()), "server");
        assertEquals(0, result.exitCode(), result.describe());
        assertEquals("ids 4242:4242 groups 4242", javaRecord().get(0));
        assertEquals("0:0", owner(data));
        assertTrue(result.stderr().contains("is not a folder that uid 4242 can write"), result.stderr());
    }

    private Proc.Result entrypoint(List<String> prefix, Map<String, String> vars, String... args) {
        Map<String, String> env = new HashMap<>();
        for (String name : List.of("BERTH_HEAP", "BERTH_DIRECT_MEMORY", "BERTH_JAVA_OPTS", "JAVA_TOOL_OPTIONS",
                "JDK_JAVA_OPTIONS", "BERTH_CONF_DIR", "BERTH_JAR")) {
            env.put(name, "");
        }
        env.put("BERTH_DATA_DIR", work.resolve("unused-data").toString());
        env.put("PATH", bin + ":/usr/sbin:/usr/bin:/sbin:/bin");
        env.put("FAKE_JAVA_RECORD", record.toString());
        env.putAll(vars);
        List<String> command = new ArrayList<>(prefix);
        command.add(bin.resolve("docker-entrypoint").toString());
        command.addAll(List.of(args));
        return Proc.run(command, env, Duration.ofSeconds(60));
    }

    private List<String> javaRecord() throws IOException {
        return Files.readAllLines(record);
    }

    private List<String> javaArgs() throws IOException {
        return javaRecord().stream().filter(l -> l.startsWith("arg ")).map(l -> l.substring(4)).toList();
    }

    private static void assumeRootWithSetpriv() {
        assumeTrue("0".equals(Proc.run(List.of("id", "-u")).stdout().strip()), "SKIPPED: needs root, as in the image");
        assumeTrue(Proc.run(List.of("sh", "-c", "command -v setpriv")).ok(), "SKIPPED: no setpriv (util-linux)");
    }

    private static String owner(Path p) {
        return Proc.ok(List.of("stat", "-c", "%u:%g", p.toString()), Map.of()).stdout().strip();
    }

    private static void chown(Path p, String owner) {
        Proc.ok(List.of("chown", owner, p.toString()), Map.of());
    }

    private static void setMode(Path p, String mode) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
    }
}
