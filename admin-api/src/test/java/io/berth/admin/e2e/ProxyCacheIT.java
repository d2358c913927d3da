package io.berth.admin.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.store.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Proxy projects' cache under load, under eviction and in the audit log, through the real process
 * and a real upstream (CNCF Distribution) behind a {@link CountingRelay} that counts what Berth asks
 * of it: 50 concurrent cold pulls of one large blob are one upstream GET, one copy of its bytes,
 * even when the first client goes away mid-way; a project over a small size budget is evicted while
 * skopeo pulls from it, keeps its pinned artifact, and fetches evicted images again; pulls by a
 * signed-in user are audited as pulls. Authentication is on; both proxy projects are private, and
 * {@value #PULLER} is their guest. Eviction runs every 10 seconds (the shortest the configuration
 * takes) with a grace period of one minute (the same), so content of evicted blobs is removed
 * while later pulls fetch it again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProxyCacheIT {
    private static final String PULLER = "puller";
    private static final String PULLER_PASSWORD = "Puller-Passw0rd-1";
    private static final int CLIENTS = 50;
    private static final long BIG_LAYER = 64L << 20;
    private static final long FIRST_CLIENT_READS = 4L << 20;
    private static final long HELD_AFTER = 16L << 20;
    private static final long BUDGET = 40L << 20;
    private static final List<String> ROTATION = List.of("img-a", "img-b", "img-c", "img-d");
    /** A generous bound on a wait, which only turns a hang into a failure. */
    private static final Duration PATIENCE = Duration.ofMinutes(3);

    @RegisterExtension
    static final BerthProcess berth = new BerthProcess("proxy-cache")
            .withEnv("BERTH_EVICTION_INTERVAL", "10s")
            .withEnv("BERTH_EVICTION_GRACE_PERIOD", "1m");

    private static DistributionProcess distribution;
    private static CountingRelay upstream;
    private static Path work;
    private static Path layout;
    private static Skopeo skopeo;
    private static TestImages.Image big;
    private static TestImages.Image pinned;
    private static final Map<String, TestImages.Image> rotation = new LinkedHashMap<>();
    /** Manifest GETs by tag {@value #PULLER} made per repository, to compare with the audit log. */
    private static final Map<String, Integer> tagPulls = new LinkedHashMap<>();
    private static int pullDirs;

    @BeforeAll
    static void upstreamWithImagesAndTwoProxyProjects() throws IOException {
        work = E2e.tempDir("proxy-cache");
        skopeo = Skopeo.require(work);
        distribution = DistributionProcess.start("proxy-cache");
        String[] target = distribution.hostPort().split(":");
        upstream = CountingRelay.to(target[0], Integer.parseInt(target[1]));
        layout = work.resolve("layout");
        big = push("big", TestImages.singleArch(layout, "big", 9001, 1, BIG_LAYER, "amd64"));
        pinned = push("pinned", TestImages.singleArch(layout, "pinned", 9002, 2, 3L << 20, "amd64"));
        for (int i = 0; i < ROTATION.size(); i++) {
            String name = ROTATION.get(i);
            rotation.put(name, push(name, TestImages.singleArch(layout, name, 9100 + i, 3, 4L << 20, "amd64")));
        }

        long registryId = AdminCalls.call(berth, "POST", "/api/v1/registries", "{\"name\":\"relayed-distribution\","
                + "\"type\":\"v2\",\"url\":\"http://" + upstream.hostPort() + "\"}", 201).path("id").asLong();
        AdminCalls.call(berth, "POST", "/api/v1/users", "{\"username\":\"" + PULLER + "\",\"password\":\""
                + PULLER_PASSWORD + "\",\"email\":\"puller@example.com\"}", 201);
        AdminCalls.call(berth, "POST", "/api/v1/projects", "{\"name\":\"bulk\",\"public\":false,"
                + "\"proxy\":{\"registryId\":" + registryId + "}}", 201);
        AdminCalls.call(berth, "POST", "/api/v1/projects", "{\"name\":\"small\",\"public\":false,"
                + "\"proxy\":{\"registryId\":" + registryId + ",\"sizeBudget\":\"" + BUDGET + "\"}}", 201);
        for (String project : List.of("bulk", "small")) {
            AdminCalls.call(berth, "POST", "/api/v1/projects/" + project + "/members", "{\"username\":\"" + PULLER
                    + "\",\"role\":\"guest\"}", 201);
        }
    }

    /** Pushes the layout's image {@code name} to Distribution as {@code cache/<name>:1}. */
    private static TestImages.Image push(String name, TestImages.Image image) {
        skopeo.ok("copy", "--dest-tls-verify=false", "oci:" + layout + ":" + name,
                "docker://" + distribution.hostPort() + "/cache/" + name + ":1");
        return image;
    }

    @AfterAll
    static void cleanUp() {
        if (upstream != null) {
            upstream.close();
        }
        if (distribution != null) {
            distribution.close();
        }
        E2e.deleteTree(work);
    }

    @Test
    @Order(1)
    void fiftyConcurrentColdPullsOfALargeBlob_areOneUpstreamGet_andTheFirstClientLeavingStopsNobody() throws Exception {
        String repo = "bulk/cache/big";
        String layer = big.layerDigests().getFirst();
        long size = Files.size(TestImages.blobPath(layout, layer));
        V2Client client = V2Client.withTokens(berth.registry(), PULLER, PULLER_PASSWORD);
        V2Client.Manifest manifest = client.manifest(repo, "1"); // also signs in for the repository
        assertEquals(200, manifest.status(), new String(manifest.bytes()));
        assertEquals(big.manifestDigest(), manifest.digest());
        tagPulls.merge(repo, 1, Integer::sum);
        HttpRequest get = client.authorized(client.request("/v2/" + repo + "/blobs/" + layer).GET().build());

        // The upstream's answer stops after HELD_AFTER bytes until every client is in and the first is gone:
        // all of them are then served by one fill that is still running.
        CountingRelay.Hold hold = upstream.holdAfter("/blobs/" + layer, HELD_AFTER);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch headers = new CountDownLatch(CLIENTS);
        CountDownLatch firstGone = new CountDownLatch(1);
        List<String> outcomes = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> pulls = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                boolean first = i == 0;
                pulls.add(threads.submit(() -> pullOnItsOwnConnection(get, first, go, headers, firstGone)));
            }
            go.countDown();
            try {
                awaitOrFail(headers, "every client's response headers");
                awaitOrFail(firstGone, "the first client to read " + FIRST_CLIENT_READS + " bytes and leave");
                assertFalse(upstream.requests("GET", "/blobs/" + layer).isEmpty(), "the fill asked the upstream");
                assertTrue(upstream.requests("GET", "/blobs/" + layer).getFirst().answerBytes().get() < size,
                        "the upstream's answer is held mid-way while every client is in");
            } finally {
                hold.release();
            }
            for (Future<String> pull : pulls) {
                outcomes.add(pull.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
            }
        }

        assertEquals("left after " + FIRST_CLIENT_READS + " bytes", outcomes.getFirst());
        for (int i = 1; i < CLIENTS; i++) {
            assertEquals(layer, outcomes.get(i), "client " + i + " of " + CLIENTS);
        }
        List<CountingRelay.Exchange> gets = upstream.requests("GET", "/v2/cache/big/blobs/" + layer);
        assertEquals(1, gets.size(), "upstream GETs of the blob: " + gets);
        long upstreamBytes = gets.getFirst().answerBytes().get();
        assertTrue(upstreamBytes >= size && upstreamBytes < size + 64 * 1024,
                "the upstream sent one copy of the " + size + "-byte blob (with headers), not " + upstreamBytes);

        upstream.stop();
        try {
            client.assertBlob(repo, layer);
            V2Client.Manifest byDigest = client.manifest(repo, big.manifestDigest());
            assertEquals(200, byDigest.status(), new String(byDigest.bytes()));
            assertEquals(big.manifestDigest(), E2e.sha256(byDigest.bytes()));
        } finally {
            upstream.start();
        }
        assertEquals(1, upstream.requests("GET", "/v2/cache/big/blobs/" + layer).size(), "still one upstream GET");
    }

    /**
     * One client with a connection of its own: its response's digest, or (the first client) how much
     * it read before it closed its connection, or the status and body of a refusal.
     */
    private static String pullOnItsOwnConnection(HttpRequest get, boolean first, CountDownLatch go,
                                                 CountDownLatch headers, CountDownLatch firstGone) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(30)).build();
        boolean headersIn = false;
        try {
            go.await();
            HttpResponse<InputStream> response = http.send(get, HttpResponse.BodyHandlers.ofInputStream());
            headers.countDown();
            headersIn = true;
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    return "status " + response.statusCode() + ": " + new String(body.readAllBytes());
                }
                if (first) {
                    long read = body.readNBytes((int) FIRST_CLIENT_READS).length;
                    return "left after " + read + " bytes";
                }
                return E2e.sha256(body);
            }
        } finally {
            if (!headersIn) {
                headers.countDown();
            }
            if (first) {
                http.shutdownNow(); // cut its connection, whatever the client would do with it
                firstGone.countDown();
            }
            http.close();
        }
    }

    @Test
    @Order(2)
    void aSmallBudgetEvictsWhilePullsRun_pinnedStays_evictedOnesComeBackFromTheUpstream() throws Exception {
        pullAndCheck("small/cache/pinned", "1", pinned);
        AdminCalls.call(berth, "PUT", "/api/v1/projects/small/repositories/cache/pinned/artifacts/1/pin", null, 200);

        // Pull the rotation over and over while eviction runs, until two runs evicted something meanwhile.
        Set<String> evictingRuns = new HashSet<>();
        Instant deadline = Instant.now().plus(PATIENCE);
        int rounds = 0;
        while (evictingRuns.size() < 2 || rounds < 2) {
            if (Instant.now().isAfter(deadline)) {
                fail("eviction did not evict twice while " + rounds + " rounds of pulls ran: " + cache());
            }
            for (Map.Entry<String, TestImages.Image> image : rotation.entrySet()) {
                pullAndCheck("small/cache/" + image.getKey(), "1", image.getValue());
            }
            rounds++;
            JsonNode last = cache().path("lastEviction");
            if (!last.isNull() && last.path("artifacts").asLong() > 0) {
                evictingRuns.add(last.path("finishedAt").asText());
            }
        }
        assertTrue(rotation.values().stream().flatMap(i -> i.layerDigests().stream())
                        .anyMatch(layer -> upstream.requests("GET", "/blobs/" + layer).size() > 1),
                "some evicted layer was fetched from the upstream again: " + upstream.exchanges());

        JsonNode usage = awaitWithinBudget();
        assertTrue(artifacts("small/cache/pinned").contains(pinned.manifestDigest()), usage.toString());
        for (String layer : pinned.layerDigests()) {
            assertEquals(1, upstream.requests("GET", "/blobs/" + layer).size(), "pinned layer " + layer);
        }

        // An image evicted while its own pull ran keeps the blobs its fills linked after the eviction (orphan
        // links, left alone for the grace period like a fill whose manifest is on its way): what Berth still
        // holds is served from the cache, what it does not is fetched from the upstream again.
        List<String> evicted = ROTATION.stream().filter(name -> artifacts("small/cache/" + name).isEmpty()).toList();
        assertFalse(evicted.isEmpty(), "within a budget of " + BUDGET + " bytes, some image of " + ROTATION
                + " is not cached: " + usage);
        V2Client client = V2Client.withTokens(berth.registry(), PULLER, PULLER_PASSWORD);
        for (String name : evicted) {
            String repo = "small/cache/" + name;
            TestImages.Image again = rotation.get(name);
            List<String> gone = again.layerDigests().stream().filter(layer -> !held(client, repo, layer)).toList();
            String manifestPath = "/v2/cache/" + name + "/manifests/1";
            int manifestGets = upstream.requests("GET", manifestPath).size();
            Map<String, Integer> before = upstreamGets(again);
            pullAndCheck(repo, "1", again);
            Map<String, Integer> after = upstreamGets(again);
            assertEquals(manifestGets + 1, upstream.requests("GET", manifestPath).size(), "the manifest of evicted "
                    + repo + ":1 is fetched again, not answered from memory: " + upstream.exchanges());
            for (String layer : gone) {
                assertTrue(after.get(layer) > before.get(layer), "evicted layer " + layer + " of " + repo
                        + " was fetched again: " + before + " -> " + after);
            }
        }

        upstream.stop();
        try {
            pullAndCheck("small/cache/pinned", "1", pinned);
            pullAndCheck("small/cache/pinned", pinned.manifestDigest(), pinned);
        } finally {
            upstream.start();
        }
        String errors = String.join("\n", Files.readAllLines(berth.logFile()).stream()
                .filter(line -> line.startsWith("ERROR")).toList());
        assertEquals("", errors, "errors in the berth log while pulls and eviction ran");
    }

    /** Waits until an eviction run after the pulls has brought the cache within its budget; returns its usage. */
    private static JsonNode awaitWithinBudget() throws InterruptedException {
        Instant pullsDone = Instant.now();
        Instant deadline = pullsDone.plus(PATIENCE);
        JsonNode usage = cache();
        while (Instant.now().isBefore(deadline)) {
            usage = cache();
            JsonNode last = usage.path("lastEviction");
            if (!last.isNull() && Instant.parse(last.path("finishedAt").asText()).isAfter(pullsDone)) {
                assertEquals(BUDGET, usage.path("sizeBudget").asLong(), usage.toString());
                assertTrue(usage.path("bytes").asLong() <= BUDGET, "an eviction run with no pulls running leaves the"
                        + " cache within its budget: " + usage);
                return usage;
            }
            Thread.sleep(500);
        }
        return fail("no eviction run after the pulls: " + usage);
    }

    @Test
    @Order(3)
    void pullsThroughTheProxies_areAuditedAsPullsOfTheSignedInUser() throws InterruptedException {
        JsonNode bulk = awaitPullLines("bulk/cache/big", tagPulls.get("bulk/cache/big") + 1);
        JsonNode byTag = lineFor(bulk, "bulk/cache/big:1");
        assertEquals(big.manifestDigest(), byTag.path("detail").asText(), "the digest a tag pull got: " + byTag);
        JsonNode byDigest = lineFor(bulk, "bulk/cache/big@" + big.manifestDigest());
        for (JsonNode line : List.of(byTag, byDigest)) {
            assertEquals(PULLER, line.path("user").asText(), line.toString());
            assertEquals("user", line.path("userKind").asText(), line.toString());
            assertEquals("bulk", line.path("project").asText(), line.toString());
            assertEquals("artifact", line.path("resourceType").asText(), line.toString());
            assertEquals("success", line.path("result").asText(), line.toString());
        }

        String pinnedRepo = "small/cache/pinned";
        JsonNode small = awaitPullLines(pinnedRepo, tagPulls.get(pinnedRepo) + 1);
        assertEquals(pinned.manifestDigest(), lineFor(small, pinnedRepo + ":1").path("detail").asText(),
                small.toString());
        for (String name : ROTATION) {
            String repo = "small/cache/" + name;
            JsonNode lines = awaitPullLines(repo, tagPulls.get(repo));
            assertEquals(rotation.get(name).manifestDigest(), lineFor(lines, repo + ":1").path("detail").asText(),
                    lines.toString());
        }
    }

    /**
     * The audit log's pull lines of {@value #PULLER} in {@code repository}, once their counts add up to
     * {@code pulls}; fails when they add up to more, or not within {@link #PATIENCE}.
     */
    private static JsonNode awaitPullLines(String repository, int pulls) throws InterruptedException {
        Instant deadline = Instant.now().plus(PATIENCE);
        JsonNode lines;
        do {
            lines = AdminCalls.call(berth, "GET", "/api/v1/audit-logs?user=" + PULLER + "&action=pull&repository="
                    + repository + "&page_size=100", null, 200);
            int counted = 0;
            for (JsonNode line : lines) {
                counted += line.path("count").asInt();
            }
            assertTrue(counted <= pulls, "more pulls audited in " + repository + " than made (" + pulls + "): " + lines);
            if (counted == pulls) {
                return lines;
            }
            Thread.sleep(500);
        } while (Instant.now().isBefore(deadline));
        return fail("the audit log has not the " + pulls + " pulls of " + repository + ": " + lines);
    }

    private static JsonNode lineFor(JsonNode lines, String resource) {
        for (JsonNode line : lines) {
            if (line.path("resource").asText().equals(resource)) {
                return line;
            }
        }
        return fail("no audit line for " + resource + ": " + lines);
    }

    // ---- helpers ---------------------------------------------------------------------------

    /** Pulls {@code repo:reference} through Berth as {@value #PULLER} with skopeo; fails unless it is {@code image}, byte for byte. */
    private static void pullAndCheck(String repo, String reference, TestImages.Image image) throws IOException {
        Path out = work.resolve("pull-" + (++pullDirs)); // a new layout each time: skopeo skips blobs a layout has
        String separator = reference.startsWith("sha256:") ? "@" : ":";
        skopeo.ok("copy", "--src-tls-verify=false", "--src-creds", PULLER + ":" + PULLER_PASSWORD,
                "docker://" + berth.hostPort() + "/" + repo + separator + reference, "oci:" + out + ":pulled");
        if (separator.equals(":")) {
            tagPulls.merge(repo, 1, Integer::sum);
        }
        try {
            assertTrue(Files.readString(out.resolve("index.json")).contains(image.manifestDigest()), repo);
            assertEquals(image.configDigest(), E2e.sha256(TestImages.blobPath(out, image.configDigest())), repo);
            for (String layer : image.layerDigests()) {
                assertEquals(layer, E2e.sha256(TestImages.blobPath(out, layer)), repo + " layer");
            }
        } finally {
            E2e.deleteTree(out);
        }
    }

    private static JsonNode cache() {
        return AdminCalls.call(berth, "GET", "/api/v1/projects/small/cache", null, 200);
    }

    /** The digests of the artifacts Berth holds in {@code repository}. */
    private static List<String> artifacts(String repository) {
        List<String> digests = new ArrayList<>();
        AdminCalls.call(berth, "GET", "/api/v1/repositories/" + repository + "/artifacts?page_size=100", null, 200)
                .forEach(a -> digests.add(a.path("digest").asText()));
        return digests;
    }

    /**
     * Whether Berth holds the blob for the repository: a {@code HEAD} through the proxy asks the
     * upstream only for a blob it does not hold.
     */
    private static boolean held(V2Client client, String repo, String digest) {
        int asked = upstream.requests("HEAD", "/blobs/" + digest).size();
        HttpResponse<byte[]> head = client.send(client.request("/v2/" + repo + "/blobs/" + digest)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(200, head.statusCode(), "HEAD of blob " + digest + " in " + repo);
        return upstream.requests("HEAD", "/blobs/" + digest).size() == asked;
    }

    /** How many GETs of each of the image's layers reached the upstream. */
    private static Map<String, Integer> upstreamGets(TestImages.Image image) {
        Map<String, Integer> gets = new LinkedHashMap<>();
        image.layerDigests().forEach(layer -> gets.put(layer, upstream.requests("GET", "/blobs/" + layer).size()));
        return gets;
    }

    private static void awaitOrFail(CountDownLatch latch, String what) throws InterruptedException {
        if (!latch.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
            fail("waited " + PATIENCE + " for " + what);
        }
    }
}
