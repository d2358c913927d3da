package io.berth.admin.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.admin.BerthApplication;
import io.berth.admin.BerthConfiguration;
import io.berth.store.oci.Digest;
import io.berth.store.testing.TestImages;
import io.berth.store.upstream.LocalDistribution;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.util.JarLocation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code berth import} in-process against a real CNCF Distribution: its exit status, lines and summary. */
class ImportCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path registryDir;
    static LocalDistribution registry;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        registry = LocalDistribution.start(registryDir, false, 1);
    }

    @AfterAll
    static void stop() throws Exception {
        registry.close();
    }

    /** What a run printed, and whether it failed (the process would exit with status 1). */
    record Run(Optional<Throwable> failure, String out, String err) {
        @Override
        public String toString() {
            return "failed=" + failure.isPresent() + "\nout: " + out + "\nerr: " + err;
        }
    }

    private static Run berth(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        Bootstrap<BerthConfiguration> bootstrap = new Bootstrap<>(new BerthApplication());
        bootstrap.addCommand(new ImportCommand(print, () -> new ByteArrayInputStream(new byte[0])));
        Optional<Throwable> failure = new Cli(new JarLocation(BerthApplication.class), bootstrap, out, err).run(args);
        return new Run(failure, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A layout of {@code example.org/team/app:1.0} and {@code example.org/team/tool:2.0}. */
    private Path layout() throws IOException {
        Path layout = dir.resolve("layout");
        TestImages.singleArch(layout, "1.0", 31, 2, 20_000, "amd64");
        TestImages.singleArch(layout, "2.0", 32, 1, 20_000, "amd64");
        ObjectNode index = (ObjectNode) JSON.readTree(layout.resolve("index.json").toFile());
        List<String> names = List.of("example.org/team/app:1.0", "example.org/team/tool:2.0");
        for (int i = 0; i < names.size(); i++) {
            ((ObjectNode) index.path("manifests").get(i)).withObjectProperty("annotations")
                    .put("io.containerd.image.name", names.get(i));
        }
        Files.write(layout.resolve("index.json"), JSON.writeValueAsBytes(index));
        return layout;
    }

    @Test
    void importTwice_firstImportsBoth_secondFindsThemPresent_exitZero() throws Exception {
        Path layout = layout();

        Run first = berth("import", "--registry", registry.url().toString(), "--project", "cli", layout.toString());
        assertFalse(first.failure().isPresent(), first.toString());
        assertTrue(first.out().contains("imported example.org/team/app:1.0"), first.out());
        assertTrue(first.out().contains("import: 2 images imported, 0 already present, 0 failed"), first.out());
        assertTrue(registry.client().headManifest("cli/app", "1.0").isPresent());

        Run again = berth("import", "--registry", registry.url().toString(), "--project", "cli", layout.toString());
        assertFalse(again.failure().isPresent(), again.toString());
        assertTrue(again.out().contains("import: 0 images imported, 2 already present, 0 failed; 0 B sent"), again.out());
    }

    @Test
    void corruptBlobWithKeepGoing_otherImported_summaryNamesTheBlob_exitNonZero() throws Exception {
        Path layout = layout();
        JsonLayer corrupt = firstLayer(layout, 0);
        byte[] bytes = Files.readAllBytes(corrupt.file());
        bytes[bytes.length / 3] ^= 1;
        Files.write(corrupt.file(), bytes);

        Run run = berth("import", "--registry", registry.url().toString(), "--project", "bad", "--keep-going",
                layout.toString());

        assertTrue(run.failure().isPresent(), run.toString());
        assertTrue(run.out().contains("import: 1 image imported, 0 already present, 1 failed"), run.out());
        assertTrue(run.out().contains("failed: image example.org/team/app:1.0") && run.out().contains(corrupt.digest()),
                run.out());
        assertTrue(run.err().startsWith("berth: 1 failed"), run.err());
        assertFalse(registry.client().headManifest("bad/app", "1.0").isPresent());
        assertTrue(registry.client().headManifest("bad/tool", "2.0").isPresent());
    }

    @Test
    void dryRun_listsWhatWouldBePushed_pushesNothing() throws Exception {
        Path layout = layout();

        Run run = berth("import", "--registry", registry.url().toString(), "--project", "dry", "--dry-run",
                layout.toString());

        assertFalse(run.failure().isPresent(), run.toString());
        assertTrue(run.out().contains("would push blob sha256:"), run.out());
        assertTrue(run.out().contains("dry run: 2 images to import"), run.out());
        assertFalse(registry.client().headManifest("dry/app", "1.0").isPresent());
    }

    @Test
    void unreachableRegistry_failsSayingSo() {
        Run run = berth("import", "--registry", "http://127.0.0.1:1", dir.toString());
        assertTrue(run.failure().isPresent());
        assertTrue(run.err().startsWith("berth: cannot use the registry http://127.0.0.1:1"), run.err());
    }

    @Test
    void splitParts_givenInOrder_areOneArchive() {
        assertEquals(List.of(List.of(Path.of("b.tar.000"), Path.of("b.tar.001")), List.of(Path.of("x.tar"))),
                ImportCommand.sources(List.of("b.tar.000", "b.tar.001", "x.tar")));
    }

    private record JsonLayer(String digest, Path file) {
    }

    private static JsonLayer firstLayer(Path layout, int image) throws IOException {
        String manifest = JSON.readTree(layout.resolve("index.json").toFile()).path("manifests").get(image)
                .path("digest").asText();
        String layer = JSON.readTree(TestImages.blobPath(layout, manifest).toFile()).path("layers").get(0)
                .path("digest").asText();
        Digest.parse(layer);
        return new JsonLayer(layer, TestImages.blobPath(layout, layer));
    }
}
