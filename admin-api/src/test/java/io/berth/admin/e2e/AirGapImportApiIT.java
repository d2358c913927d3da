package io.berth.admin.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.store.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server-side import, {@code POST /api/v1/imports} with the archive as the body, against a real
 * Berth with sign-in on: the job is polled to its end and the image pulled; a body that is no
 * archive is refused with 400 and leaves no job; a user who may only pull gets 403; a corrupt
 * layer fails the job naming the blob, and nothing is tagged.
 */
class AirGapImportApiIT {
    @RegisterExtension
    static final BerthProcess berth = new BerthProcess("airgap-api");

    private static Path work;

    @BeforeAll
    static void project() {
        work = E2e.tempDir("airgap-api");
        AdminCalls.call(berth, "POST", "/api/v1/projects", "{\"name\":\"uploaded\"}", 201);
    }

    @AfterAll
    static void cleanUp() {
        E2e.deleteTree(work);
    }

    @Test
    void archiveInTheBody_isImportedByAJob_thatReportsEachImage() throws IOException {
        TestImages.Image image = TestImages.singleArch(work.resolve("good"), "v1", 650, 2, 128 * 1024, "amd64");
        Path tar = tar(work.resolve("good"));

        HttpResponse<byte[]> accepted = post(tar, "?project=uploaded&name=uploaded/app", berth.adminCredentials());
        assertEquals(202, accepted.statusCode(), () -> new String(accepted.body(), StandardCharsets.UTF_8));
        String location = accepted.headers().firstValue("Location").orElseThrow();
        JsonNode done = awaitEnd(location);

        assertEquals("Succeeded", done.path("state").asText(), done.toString());
        assertEquals("Imported", done.path("images").get(0).path("status").asText(), done.toString());
        assertEquals(image.manifestDigest(), berth.v2().manifest("uploaded/app", "v1").digest());
        assertTrue(AdminCalls.call(berth, "GET", "/api/v1/imports", null, 200).toString().contains(location
                .substring(location.lastIndexOf('/') + 1)), "the list holds the job");
    }

    @Test
    void bodyThatIsNoArchive_isRefusedWith400_andLeavesNoJob() throws IOException {
        int before = AdminCalls.call(berth, "GET", "/api/v1/imports", null, 200).size();
        Path junk = work.resolve("junk.tar");
        Files.writeString(junk, "this is not a tar archive at all, just text\n".repeat(40));

        HttpResponse<byte[]> refused = post(junk, "", berth.adminCredentials());

        String body = new String(refused.body(), StandardCharsets.UTF_8);
        assertEquals(400, refused.statusCode(), body);
        assertTrue(body.contains("not an archive Berth can import"), body);
        assertEquals(before, AdminCalls.call(berth, "GET", "/api/v1/imports", null, 200).size());
        try (var left = Files.list(berth.dataDir().resolve("imports"))) {
            assertEquals(0, left.count(), "no spooled file left behind");
        }
    }

    @Test
    void userWhoMayOnlyPull_isRefusedWith403() throws IOException {
        AdminCalls.call(berth, "POST", "/api/v1/users",
                "{\"username\":\"reader\",\"password\":\"Reader-Passw0rd-1\",\"email\":\"reader@example.com\"}", 201);
        AdminCalls.call(berth, "POST", "/api/v1/projects/uploaded/members", "{\"username\":\"reader\",\"role\":\"guest\"}",
                201);
        TestImages.singleArch(work.resolve("denied"), "v1", 660, 1, 16 * 1024, "amd64");

        HttpResponse<byte[]> denied = post(tar(work.resolve("denied")), "?project=uploaded&name=uploaded/denied",
                "reader:Reader-Passw0rd-1");

        assertEquals(403, denied.statusCode(), () -> new String(denied.body(), StandardCharsets.UTF_8));
        assertEquals(404, berth.v2().manifest("uploaded/denied", "v1").status());
    }

    @Test
    void corruptLayer_failsTheJobNamingTheBlob_andTagsNothing() throws IOException {
        Path dir = work.resolve("corrupt");
        TestImages.Image image = TestImages.singleArch(dir, "v1", 670, 2, 128 * 1024, "amd64");
        String layer = image.layerDigests().get(0);
        try (RandomAccessFile file = new RandomAccessFile(TestImages.blobPath(dir, layer).toFile(), "rw")) {
            file.seek(50_000);
            int b = file.read();
            file.seek(50_000);
            file.write(b ^ 0x10);
        }

        HttpResponse<byte[]> accepted = post(tar(dir), "?name=uploaded/corrupt", berth.adminCredentials());
        assertEquals(202, accepted.statusCode(), () -> new String(accepted.body(), StandardCharsets.UTF_8));
        JsonNode done = awaitEnd(accepted.headers().firstValue("Location").orElseThrow());

        assertEquals("Failed", done.path("state").asText(), done.toString());
        String message = done.path("images").get(0).path("message").asText();
        assertTrue(message.contains(layer) && message.contains("corrupt"), message);
        assertEquals(404, berth.v2().manifest("uploaded/corrupt", "v1").status(), "nothing tagged");
    }

    private static Path tar(Path layout) {
        Path tar = layout.resolveSibling(layout.getFileName() + ".tar");
        Proc.ok(List.of("tar", "-C", layout.toString(), "-cf", tar.toString(), "."), Map.of());
        return tar;
    }

    private static HttpResponse<byte[]> post(Path body, String query, String credentials) throws IOException {
        V2Client client = V2Client.anonymous(berth.admin());
        return client.send(client.request("/api/v1/imports" + query).header("Content-Type", "application/x-tar")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        credentials.getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofFile(body)).build());
    }

    /** Polls the job at {@code location} until it is no longer Running; its last view. */
    private static JsonNode awaitEnd(String location) {
        String path = location.substring(location.indexOf("/api/v1/"));
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        JsonNode job = null;
        while (Instant.now().isBefore(deadline)) {
            job = AdminCalls.call(berth, "GET", path, null, 200);
            if (!job.path("state").asText().equals("Running")) {
                return job;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("the import job did not end within 2 minutes: " + job);
    }
}
