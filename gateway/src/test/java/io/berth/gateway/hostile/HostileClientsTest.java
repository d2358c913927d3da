package io.berth.gateway.hostile;

import io.berth.gateway.GatewayConfig;
import io.berth.gateway.http.GatewayServer;
import io.berth.gateway.testing.RawConnection;
import io.berth.gateway.testing.RawResponse;
import io.berth.gateway.testing.TestContent.Blob;
import io.berth.gateway.testing.TestContent;
import io.berth.gateway.testing.V2Client;
import io.berth.gateway.v2.V2Api;
import io.berth.store.Caller;
import io.berth.store.ManifestPush;
import io.berth.store.Registry;
import io.berth.store.blob.FilesystemBlobStore;
import io.berth.store.blob.FilesystemUploadStore;
import io.berth.store.blob.StoragePaths;
import io.berth.store.event.PullRecorder;
import io.berth.store.meta.Admission;
import io.berth.store.oci.Digest;
import io.berth.store.oci.Reference;
import io.berth.store.oci.RepositoryName;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static io.berth.gateway.testing.RawConnection.requestHead;
import static io.berth.store.testing.ManifestJson.OCI_MANIFEST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile clients against a registry with its production memory caps (this class runs in its own
 * JVM with the production heap and direct memory, see gateway/pom.xml): 200 slow manifest pushes,
 * 24 pushes of manifests whose parse takes many times their size, 100 uploads at once into a disk
 * slower than they send, a subject with 10,000 referrers and a repository with 50,000 tags read
 * page by page, all at the same time. Nothing may run out
 * of memory, no answer may be a 5xx other than 503 with {@code Retry-After}, and a normal client
 * pulling and pushing meanwhile must be served.
 */
@Tag("hostile")
class HostileClientsTest {
    private static final int SLOW_PUTS = 200;
    private static final int UPLOADS = 100;
    private static final int UPLOAD_SIZE = 8 << 20;
    private static final long SINK_BYTES_PER_SECOND = 32L << 20;
    private static final int REFERRERS = 10_000;
    private static final int TAGS = 50_000;
    private static final int HUGE_PUSHES = 24;

    @TempDir
    Path dir;

    @Test
    void hostileClients_neverRunTheServerOutOfMemory_andANormalClientIsServedMeanwhile() throws Exception {
        List<String> jvm = ManagementFactory.getRuntimeMXBean().getInputArguments();
        assertTrue(jvm.contains("-Xmx384m") && jvm.contains("-XX:MaxDirectMemorySize=256m"),
                "run in the 'hostile' surefire execution, with the production memory caps: " + jvm);
        Registry registry = openRegistry();
        GatewayConfig config = GatewayConfig.local().withBodyLimits(Duration.ofSeconds(10), 0);
        try (MemoryWatch memory = new MemoryWatch();
             GatewayServer server = new GatewayServer(config, V2Api.routes(registry));
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            server.start();
            V2Client client = new V2Client(URI.create("http://127.0.0.1:" + server.port()));
            Blob subject = client.pushImage("hostile/referrers", "subject", 1);
            pushReferrers(registry, subject);
            Blob tagged = client.pushImage("hostile/tags", "first", 2);
            pushTags(client, tagged, clients);
            NormalClient normal = new NormalClient(client);

            Outcomes slow = new Outcomes("slow manifest pushes");
            Outcomes huge = new Outcomes("manifests costly to parse");
            Outcomes uploads = new Outcomes("uploads into a slow disk");
            Outcomes listings = new Outcomes("referrer and tag listings");
            List<CompletableFuture<?>> attacks = new ArrayList<>();
            for (int i = 0; i < SLOW_PUTS; i++) {
                int n = i;
                attacks.add(CompletableFuture.runAsync(() -> slowManifestPut(server.port(), n, slow), clients));
            }
            for (int i = 0; i < UPLOADS; i++) {
                int n = i;
                attacks.add(CompletableFuture.runAsync(() -> upload(client, n, uploads), clients));
            }
            byte[] manifest = manifestOfTinyAnnotations();
            for (int i = 0; i < HUGE_PUSHES; i++) {
                int n = i;
                attacks.add(CompletableFuture.runAsync(() -> hugeManifestPush(client, n, manifest, huge), clients));
            }
            for (int i = 0; i < 4; i++) {
                attacks.add(CompletableFuture.runAsync(() -> guarded(() -> walkReferrers(client, subject, listings),
                        listings, "walking referrers"), clients));
            }
            for (int i = 0; i < 2; i++) {
                attacks.add(CompletableFuture.runAsync(() -> guarded(() -> walkTags(client, listings), listings,
                        "walking tags"), clients));
            }
            CompletableFuture<Void> all = CompletableFuture.allOf(attacks.toArray(CompletableFuture[]::new));
            while (!all.isDone()) {
                normal.cycle();
            }
            all.get(5, TimeUnit.MINUTES);

            assertEquals(List.of(), memory.outOfMemory(), "out of memory");
            List<String> violations = new ArrayList<>();
            for (Outcomes o : List.of(slow, huge, uploads, listings, normal.outcomes())) {
                violations.addAll(o.violations());
            }
            assertEquals(List.of(), violations, slow + "; " + huge + "; " + uploads + "; " + listings + "; "
                    + normal.outcomes());
            assertEquals(UPLOADS, uploads.count(201), "every upload completes once the disk catches up: " + uploads);
            assertTrue(normal.cycles() >= 3, "the normal client was served " + normal.cycles() + " times");
            System.out.printf("hostile clients: %s; %s; %s; %s; normal client: %d cycles, %s; peak direct memory %d MiB,"
                    + " peak heap %d MiB%n", slow, huge, uploads, listings, normal.cycles(), normal.outcomes(),
                    memory.peakDirect() >> 20, memory.peakHeap() >> 20);
        } finally {
            registry.close();
        }
    }

    /** Runs a client's work; a failure (a reset, a broken connection) is recorded as a violation. */
    private static void guarded(Runnable work, Outcomes out, String what) {
        try {
            work.run();
        } catch (RuntimeException e) {
            out.violation(what + " failed: " + e);
        }
    }

    private Registry openRegistry() throws IOException {
        JdbcDataSource database = new JdbcDataSource();
        database.setURL("jdbc:h2:file:" + dir.resolve("db/berth")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        StoragePaths paths = new StoragePaths(dir.resolve("data"));
        FilesystemBlobStore blobs = new FilesystemBlobStore(paths);
        return Registry.open(database, blobs, new SlowSink(new FilesystemUploadStore(paths, blobs), SINK_BYTES_PER_SECOND),
                new Registry.Options(true, 4L << 20, Duration.ofHours(1), new Admission(32, 256, Duration.ofSeconds(5)),
                        PullRecorder.Options.defaults()), Clock.systemUTC());
    }

    /** 10,000 signatures of one subject, each with a kilobyte of annotations, pushed through the store. */
    private static void pushReferrers(Registry registry, Blob subject) throws Exception {
        RepositoryName name = RepositoryName.parse("hostile/referrers");
        String filler = "x".repeat(1024);
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<CompletableFuture<Void>> pushes = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int first = t;
                pushes.add(CompletableFuture.runAsync(() -> {
                    for (int i = first; i < REFERRERS; i += 4) {
                        Blob referrer = TestContent.image(TestContent.empty()).artifactType("application/vnd.example.sig")
                                .subject(subject).annotation("n", i + filler).build();
                        try {
                            registry.manifests().put(ManifestPush.of(name, Reference.of(Digest.parse(referrer.digest())),
                                    OCI_MANIFEST, referrer.bytes(), Caller.system("test")));
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                }, pool));
            }
            CompletableFuture.allOf(pushes.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
        }
    }

    /** 50,000 tags on one manifest, 100 per push with {@code ?tag=}. */
    private static void pushTags(V2Client client, Blob manifest, ExecutorService clients) throws Exception {
        List<CompletableFuture<Void>> pushes = new ArrayList<>();
        for (int start = 0; start < TAGS; start += 100) {
            StringBuilder query = new StringBuilder();
            for (int i = start; i < start + 100; i++) {
                query.append(i == start ? "?" : "&").append("tag=t").append(String.format("%05d", i));
            }
            pushes.add(CompletableFuture.runAsync(() -> {
                HttpResponse<byte[]> response = client.put("/v2/hostile/tags/manifests/" + manifest.digest() + query,
                        manifest.bytes(), "Content-Type", manifest.mediaType());
                assertEquals(201, response.statusCode(), TestContent.text(response.body()));
            }, clients));
            if (pushes.size() % 8 == 0) {
                pushes.getLast().get(1, TimeUnit.MINUTES); // a few in flight at a time
            }
        }
        CompletableFuture.allOf(pushes.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
    }

    /**
     * A slowloris manifest push: announces a megabyte, then sends half a kilobyte every quarter
     * second, and reads the answer whenever it comes. It must be a 503 (no memory for it) or a
     * 408 (it did not arrive in time), and reach the client, not a reset.
     */
    private static void slowManifestPut(int port, int n, Outcomes out) {
        try (RawConnection c = RawConnection.open(port)) {
            c.send(requestHead("PUT", "/v2/hostile/slow/manifests/t" + n, "Content-Type", OCI_MANIFEST,
                    "Content-Length", Integer.toString(1 << 20)));
            CompletableFuture<RawResponse> answer = CompletableFuture.supplyAsync(() -> {
                try {
                    return c.read();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, Executors.newVirtualThreadPerTaskExecutor());
            byte[] dribble = new byte[512];
            while (!answer.isDone()) {
                try {
                    c.send(dribble);
                } catch (IOException e) {
                    break; // the server closed after answering; the answer is read below
                }
                Thread.sleep(250);
            }
            RawResponse response = answer.get(1, TimeUnit.MINUTES);
            out.record(response.status(), response.header("retry-after"), "slow manifest PUT");
            if (response.status() != 503 && response.status() != 408) {
                out.violation("a slow manifest PUT was answered " + response);
            }
        } catch (Exception e) {
            out.violation("slow manifest PUT " + n + " failed: " + e);
        }
    }

    /**
     * A manifest just under 4 MiB whose annotations are some 280,000 one-letter entries: parsed, its
     * tree takes some 15 times its size on the heap. Its config is never uploaded, so a push that
     * gets through is refused after the parse (404); one that finds the parsing budget taken is
     * told to retry (503).
     */
    private static byte[] manifestOfTinyAnnotations() {
        StringBuilder annotations = new StringBuilder("{");
        for (int i = 0; annotations.length() < (4 << 20) - 1024; i++) {
            annotations.append(i == 0 ? "" : ",").append("\"a").append(i).append("\":\"b\"");
        }
        annotations.append('}');
        Blob config = TestContent.config(99);
        return TestContent.utf8("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":{\"mediaType\":\""
                + config.mediaType() + "\",\"digest\":\"" + config.digest() + "\",\"size\":" + config.size()
                + "},\"layers\":[],\"annotations\":" + annotations + "}");
    }

    private static void hugeManifestPush(V2Client client, int n, byte[] manifest, Outcomes out) {
        try {
            HttpResponse<byte[]> response = client.put("/v2/hostile/huge/manifests/h" + n, manifest,
                    "Content-Type", OCI_MANIFEST);
            out.record(response.statusCode(), response.headers().firstValue("Retry-After"), "huge manifest PUT");
            if (response.statusCode() != 404 && response.statusCode() != 503) {
                out.violation("a huge manifest PUT was answered " + response.statusCode() + ": "
                        + TestContent.text(response.body()));
            }
        } catch (RuntimeException e) {
            out.violation("huge manifest PUT " + n + " failed: " + e);
        }
    }

    /** An 8 MiB upload in one PATCH, sent as fast as the client can, into a disk that writes 32 MiB/s for everyone. */
    private static void upload(V2Client client, int n, Outcomes out) {
        try {
            long seed = 1000 + n;
            String digest = SeededStream.digest(seed, UPLOAD_SIZE);
            // A PATCH refused with 503 and Retry-After (the database busy) is pushed again in a new
            // session after the wait, as docker does with a layer whose upload failed.
            String[] location = new String[1];
            HttpResponse<byte[]> patch = NormalClient.retrying(() -> {
                HttpResponse<byte[]> start = NormalClient.retrying(() -> client.post(
                        "/v2/hostile/uploads/blobs/uploads/", new byte[0]), out, "upload start");
                location[0] = start.headers().firstValue("Location").orElseThrow();
                return client.sendStreamed("PATCH", location[0], () -> new SeededStream(seed, UPLOAD_SIZE),
                        "Content-Type", "application/octet-stream");
            }, out, "upload PATCH");
            if (patch.statusCode() != 202) {
                out.violation("upload PATCH answered " + patch.statusCode() + ": " + TestContent.text(patch.body()));
                return;
            }
            HttpResponse<byte[]> done = NormalClient.retrying(() -> client.put(location[0] + "?digest=" + digest,
                    new byte[0]), out, "upload PUT");
            if (done.statusCode() != 201) {
                out.violation("upload PUT answered " + done.statusCode() + ": " + TestContent.text(done.body()));
            }
        } catch (RuntimeException e) {
            out.violation("upload " + n + " failed: " + e);
        }
    }

    /** Every referrer, page by page along the Link headers: all 10,000, no page over 2 MiB. */
    private static void walkReferrers(V2Client client, Blob subject, Outcomes out) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        String next = "/v2/hostile/referrers/referrers/" + subject.digest();
        while (next != null) {
            String page = next;
            HttpResponse<byte[]> response = NormalClient.retrying(() -> client.get(page), out, "referrers page");
            if (response.statusCode() != 200 || response.body().length > 2 << 20) {
                out.violation("referrers page " + page + ": " + response.statusCode() + ", " + response.body().length
                        + " bytes");
                return;
            }
            io.berth.gateway.testing.OciAssertions.json(response.body()).get("manifests")
                    .forEach(d -> seen.add(d.get("digest").asText()));
            next = NormalClient.nextLink(response);
        }
        if (seen.size() != REFERRERS) {
            out.violation("walked " + seen.size() + " referrers, not " + REFERRERS);
        }
    }

    /** Every tag, 10,000 a page. */
    private static void walkTags(V2Client client, Outcomes out) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        String next = "/v2/hostile/tags/tags/list?n=10000";
        while (next != null) {
            String page = next;
            HttpResponse<byte[]> response = NormalClient.retrying(() -> client.get(page), out, "tags page");
            if (response.statusCode() != 200) {
                out.violation("tags page " + page + ": " + response.statusCode());
                return;
            }
            io.berth.gateway.testing.OciAssertions.json(response.body()).get("tags").forEach(t -> seen.add(t.asText()));
            next = NormalClient.nextLink(response);
        }
        if (seen.size() != TAGS + 1) {
            out.violation("walked " + seen.size() + " tags, not " + (TAGS + 1));
        }
    }
}
