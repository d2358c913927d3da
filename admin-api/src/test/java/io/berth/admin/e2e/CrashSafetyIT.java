package io.berth.admin.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kills the server with SIGKILL while several clients push (chunked uploads of random multi-MiB
 * blobs, then manifests), restarts it on the same data folder and checks what survived: no
 * partial blob is visible, every push that was acknowledged is intact, the listings only name
 * what can be served, and interrupted uploads can be resumed or redone.
 */
class CrashSafetyIT {
    @RegisterExtension
    static final BerthProcess berth = new BerthProcess("crash");

    private static final int PUSHERS = 4;
    private static final int IMAGES_PER_PUSHER = 6;
    private static final int KILL_AFTER_PUSHES = 6;
    private static final int CHUNK = 256 * 1024;
    private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

    /** A push the server acknowledged with 201 before it was killed. */
    record Pushed(String repo, String tag, String digest, byte[] manifest, List<String> blobs) {}

    private final V2Client v2 = berth.v2();
    private final ConcurrentLinkedQueue<Pushed> acknowledged = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<ChunkedUpload> uploads = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Throwable> failuresBeforeKill = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean killing = new AtomicBoolean();
    private final CountDownLatch enoughPushed = new CountDownLatch(KILL_AFTER_PUSHES);

    @Test
    void killMidPushRestartAndCheck() throws Exception {
        // An upload that is idle between two chunks when the server dies...
        ChunkedUpload idle = new ChunkedUpload(v2, "crash/idle", random(11, 3 * 1024 * 1024 + 17));
        idle.start();
        idle.patch(0, 1024 * 1024);
        idle.patch(1024 * 1024, 1536 * 1024);
        // ...and one that is in the middle of a chunk: half of it sent, the rest held back.
        ChunkedUpload stalled = new ChunkedUpload(v2, "crash/stalled", random(12, 2 * 1024 * 1024 + 5));
        stalled.start();
        stalled.patch(0, 1024 * 1024);
        // Then pushers run until enough pushes are acknowledged, and the server is killed.
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> pushers = new ArrayList<>();
        CompletableFuture<HttpResponse<byte[]>> stalledPatch;
        try {
            stalledPatch = stalled.stalledPatch(1024 * 1024, 2 * 1024 * 1024, release);
            awaitServerHolds(stalled, 1024 * 1024 + 1);
            for (int p = 0; p < PUSHERS; p++) {
                int id = p;
                pushers.add(Thread.ofPlatform().daemon().name("pusher-" + p).start(() -> push(id)));
            }
            assertTrue(enoughPushed.await(5, TimeUnit.MINUTES), "pushers did not complete " + KILL_AFTER_PUSHES
                    + " pushes: " + failuresBeforeKill);
            killing.set(true);
            berth.kill();
        } finally {
            release.countDown();
        }
        for (Thread t : pushers) {
            t.join(TimeUnit.MINUTES.toMillis(5));
            assertTrue(!t.isAlive(), t.getName() + " is stuck");
        }
        assertTrue(stalledPatch.handle((r, e) -> e != null || r.statusCode() != 202).get(5, TimeUnit.MINUTES),
                "the stalled chunk cannot have been accepted");
        assertEquals(List.of(), List.copyOf(failuresBeforeKill), "failures before the kill");
        System.out.println("acknowledged pushes before the kill: " + acknowledged.size());

        berth.start();

        assertEveryBlobFileMatchesItsName();
        for (Pushed pushed : acknowledged) {
            assertIntact(pushed);
        }
        assertListingsConsistent();
        for (ChunkedUpload u : uploads) {
            V2Client.BlobCheck check = v2.blob(u.repo(), u.digest());
            assertTrue(check.status() == 404 || u.digest().equals(check.actualDigest()),
                    "blob of an upload is either absent or whole: " + u + " -> " + check);
        }

        List<ChunkedUpload> interrupted = new ArrayList<>(List.of(idle, stalled));
        uploads.stream().filter(u -> u.started() && !u.finished()).forEach(interrupted::add);
        for (ChunkedUpload u : interrupted) {
            long before = u.acknowledged();
            ChunkedUpload.Outcome outcome = u.resumeOrStartOver(CHUNK);
            System.out.println("interrupted upload " + u + ": " + outcome + " (acknowledged before the kill: " + before
                    + ", held by the server after the restart: " + u.heldAtResume() + ")");
            if (u == stalled) {
                // Half of its chunk had reached the server's disk; none of it was acknowledged.
                assertEquals(ChunkedUpload.Outcome.RESUMED, outcome, "the stalled upload's session survives");
                assertEquals(before, u.heldAtResume(), "the unacknowledged part of the stalled chunk is cut off");
            }
            v2.assertBlob(u.repo(), u.digest());
        }
        // the resumed blobs make a complete image
        byte[] config = config(99, List.of(idle.digest()));
        v2.pushBlob("crash/idle", config);
        byte[] manifest = manifest(config, List.of(idle), List.of(idle.size()));
        assertEquals(201, v2.putManifest("crash/idle", "after", OCI_MANIFEST, manifest).statusCode());
        Pushed after = new Pushed("crash/idle", "after", E2e.sha256(manifest), manifest, List.of(E2e.sha256(config), idle.digest()));
        assertIntact(after);

        // and a graceful restart keeps all of it
        berth.restart();
        acknowledged.add(after);
        for (Pushed pushed : acknowledged) {
            assertIntact(pushed);
        }
        assertListingsConsistent();
    }

    /** Pushes images until done or the server is gone. */
    private void push(int pusher) {
        String repo = "crash/pusher" + pusher;
        try {
            for (int i = 0; i < IMAGES_PER_PUSHER; i++) {
                long seed = pusher * 1000L + i;
                SplittableRandom sizes = new SplittableRandom(seed);
                List<ChunkedUpload> layers = new ArrayList<>();
                List<Long> layerSizes = new ArrayList<>();
                for (int l = 0; l < 2; l++) {
                    ChunkedUpload layer = new ChunkedUpload(v2, repo, random(seed * 10 + l, 1024 * 1024 + sizes.nextInt(3 * 1024 * 1024)));
                    uploads.add(layer);
                    layer.run(CHUNK);
                    layers.add(layer);
                    layerSizes.add(layer.size());
                }
                byte[] config = config(seed, layers.stream().map(ChunkedUpload::digest).toList());
                String configDigest = v2.pushBlob(repo, config);
                byte[] manifest = manifest(config, layers, layerSizes);
                String tag = "image" + i;
                HttpResponse<byte[]> put = v2.putManifest(repo, tag, OCI_MANIFEST, manifest);
                if (put.statusCode() != 201) {
                    throw new AssertionError("manifest PUT " + repo + ":" + tag + " -> " + put.statusCode() + " " + new String(put.body()));
                }
                List<String> blobs = new ArrayList<>(layers.stream().map(ChunkedUpload::digest).toList());
                blobs.add(configDigest);
                acknowledged.add(new Pushed(repo, tag, E2e.sha256(manifest), manifest, blobs));
                enoughPushed.countDown();
            }
        } catch (Throwable t) {
            if (!killing.get()) {
                failuresBeforeKill.add(t);
                while (enoughPushed.getCount() > 0) {
                    enoughPushed.countDown();
                }
            }
        }
    }

    /** Waits until the session's file holds {@code bytes}: the status reports only acknowledged ones. */
    private void awaitServerHolds(ChunkedUpload upload, long bytes) throws Exception {
        Path data = berth.dataDir().resolve("uploads").resolve(upload.sessionId()).resolve("data");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        long held;
        while ((held = Files.size(data)) < bytes) {
            assertTrue(System.nanoTime() < deadline, "the server never received part of the stalled chunk (holds " + held + ")");
            Thread.sleep(50);
        }
    }

    /** Every file under blobs/ is blobs/sha256/<2 hex>/<hex> and hashes to its name: nothing partial. */
    private void assertEveryBlobFileMatchesItsName() throws IOException {
        Path blobs = berth.dataDir().resolve("blobs");
        int count = 0;
        try (Stream<Path> files = Files.walk(blobs)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path rel = blobs.relativize(file);
                assertEquals(3, rel.getNameCount(), "unexpected file under blobs/: " + rel);
                String hex = rel.getName(2).toString();
                assertEquals("sha256", rel.getName(0).toString(), rel.toString());
                assertEquals(hex.substring(0, 2), rel.getName(1).toString(), rel.toString());
                assertEquals("sha256:" + hex, E2e.sha256(file), "content of " + rel);
                count++;
            }
        }
        System.out.println("blob files checked: " + count);
    }

    private void assertIntact(Pushed pushed) {
        for (String reference : List.of(pushed.tag(), pushed.digest())) {
            V2Client.Manifest m = v2.manifest(pushed.repo(), reference);
            assertEquals(200, m.status(), "acknowledged manifest " + pushed.repo() + ":" + reference + " after restart");
            assertArrayEquals(pushed.manifest(), m.bytes(), pushed.repo() + ":" + reference);
            assertEquals(pushed.digest(), m.digest());
        }
        for (String blob : pushed.blobs()) {
            v2.assertBlob(pushed.repo(), blob);
        }
    }

    /** The catalog names every acknowledged repository; every tag listed can be pulled whole. */
    private void assertListingsConsistent() {
        Set<String> repositories = new HashSet<>();
        v2.json("/v2/_catalog?n=1000").path("repositories").forEach(r -> repositories.add(r.asText()));
        for (Pushed pushed : acknowledged) {
            assertTrue(repositories.contains(pushed.repo()), "catalog " + repositories + " lacks " + pushed.repo());
        }
        for (String repo : repositories) {
            Set<String> tags = new HashSet<>();
            v2.json("/v2/" + repo + "/tags/list?n=1000").path("tags").forEach(t -> tags.add(t.asText()));
            acknowledged.stream().filter(p -> p.repo().equals(repo))
                    .forEach(p -> assertTrue(tags.contains(p.tag()), repo + " tags " + tags + " lack " + p.tag()));
            for (String tag : tags) {
                V2Client.Manifest m = v2.manifest(repo, tag);
                assertEquals(200, m.status(), "listed tag " + repo + ":" + tag);
                assertEquals(E2e.sha256(m.bytes()), m.digest());
                JsonNode json = V2Client.parse(m.bytes());
                v2.assertBlob(repo, json.path("config").path("digest").asText());
                json.path("layers").forEach(l -> v2.assertBlob(repo, l.path("digest").asText()));
            }
        }
    }

    private static byte[] random(long seed, int size) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] b = new byte[size];
        for (int i = 0; i < size; i += 8) {
            long v = random.nextLong();
            for (int k = 0; k < 8 && i + k < size; k++) {
                b[i + k] = (byte) (v >>> (8 * k));
            }
        }
        return b;
    }

    private static byte[] config(long seed, List<String> layers) {
        return ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Labels\":{\"seed\":\"" + seed + "\"}},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + String.join("\",\"", layers) + "\"]}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] manifest(byte[] config, List<ChunkedUpload> layers, List<Long> sizes) {
        StringBuilder b = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + E2e.sha256(config) + "\",\"size\":" + config.length
                + "},\"layers\":[");
        for (int i = 0; i < layers.size(); i++) {
            b.append(i == 0 ? "" : ",").append("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"")
                    .append(layers.get(i).digest()).append("\",\"size\":").append(sizes.get(i)).append('}');
        }
        return b.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }
}
