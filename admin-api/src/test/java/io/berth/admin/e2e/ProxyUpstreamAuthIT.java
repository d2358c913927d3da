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
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proxy projects in front of upstreams that want credentials, pulled through by real clients.
 * First another Berth (authentication on, its token service): its private project {@code vault}
 * is mirrored with the credentials of a robot that may only pull there; skopeo, podman and docker
 * pull through the proxy and get the upstream's digest, the upstream's audit log shows the robot's
 * pull, the robot's rights bound what the proxy can fetch (a name beyond them is unknown, 404), and
 * wrong credentials give the client a clear 503 {@code UNAVAILABLE}. Then CNCF Distribution with token authentication, its tokens issued
 * by a test {@link TokenIssuer} and reached through a {@link RecordingRelay}: the issuer is asked
 * for {@code repository:<name>:pull} with the endpoint's credentials, and the registry only ever
 * sees Bearer tokens. Each upstream is finally stopped, and what was pulled is still served by tag
 * and by digest.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProxyUpstreamAuthIT {
    @RegisterExtension
    static final BerthProcess berth = new BerthProcess("proxy-auth");
    @RegisterExtension
    static final BerthProcess upstreamBerth = new BerthProcess("proxy-auth-upstream");

    private static final String ROBOT = "robot$vault+mirror";
    private static final String PULLER = "berth-puller";
    private static final String PULLER_PASSWORD = "Puller-Secret-42";
    private static final Duration AUDIT_WAIT = Duration.ofMinutes(2);

    private static Path work;
    private static Skopeo skopeo;
    private static TestImages.Image vaultImage;
    private static TestImages.Image toolImage;
    private static TokenIssuer issuer;
    private static DistributionProcess distribution;
    private static RecordingRelay relay;
    private static String robotSecret;
    private static long wrongCredentialsEndpoint;

    @BeforeAll
    static void upstreamsWithImages() throws IOException {
        work = E2e.tempDir("proxy-auth");
        skopeo = Skopeo.require(work);
        Path layout = work.resolve("layout");
        vaultImage = TestImages.singleArch(layout, "vault", 808, 2, 256 * 1024, "amd64");
        toolImage = TestImages.singleArch(layout, "tool", 909, 2, 256 * 1024, "amd64");
        robotSecret = berthUpstreamWithPrivateImage(layout);
        registerProxy("upstream-berth", upstreamBerth.hostPort(), ROBOT, robotSecret, "berthmirror");
        wrongCredentialsEndpoint = registerProxy("upstream-berth-wrong", upstreamBerth.hostPort(), ROBOT,
                robotSecret + "-wrong", "wrongcreds");
        distributionWithTokenAuth(layout);
        registerProxy("distribution-token", relay.hostPort(), PULLER, PULLER_PASSWORD, "distmirror");
    }

    /** Pushes the vault image into the upstream Berth's private project vault (and other); returns the robot's secret. */
    private static String berthUpstreamWithPrivateImage(Path layout) {
        for (String project : List.of("vault", "other")) {
            AdminCalls.call(upstreamBerth, "POST", "/api/v1/projects", "{\"name\":\"" + project + "\",\"public\":false}", 201);
            skopeo.ok("copy", "--dest-tls-verify=false", "--dest-creds", upstreamBerth.adminCredentials(),
                    "oci:" + layout + ":vault", "docker://" + upstreamBerth.hostPort() + "/" + project + "/app:v1");
        }
        JsonNode robot = AdminCalls.call(upstreamBerth, "POST", "/api/v1/robots", "{\"name\":\"mirror\",\"project\":\"vault\","
                + "\"expiresInDays\":30,\"permissions\":[{\"project\":\"vault\",\"actions\":[\"pull\"]}]}", 201);
        assertEquals(ROBOT, robot.path("name").asText(), robot.toString());
        return robot.path("secret").asText();
    }

    /** Distribution with token auth, its issuer, a relay in front of it, and the tool image pushed with the seeder's token. */
    private static void distributionWithTokenAuth(Path layout) throws IOException {
        Path issuerDir = Files.createDirectories(work.resolve("issuer"));
        issuer = TokenIssuer.start(issuerDir, new TokenIssuer.Account("seeder", "Seeder-Secret-7", Set.of("pull", "push")),
                new TokenIssuer.Account(PULLER, PULLER_PASSWORD, Set.of("pull")));
        distribution = DistributionProcess.start("proxy-auth", issuer.distributionAuthConfig());
        skopeo.ok("copy", "--dest-tls-verify=false", "--dest-creds", "seeder:Seeder-Secret-7", "oci:" + layout + ":tool",
                "docker://" + distribution.hostPort() + "/team/tool:v2");
        relay = RecordingRelay.start(distribution.hostPort());
        issuer.forgetRequests();
    }

    /** A {@code v2} registry endpoint at {@code hostPort} with Basic credentials, and a public proxy project on it; its id. */
    private static long registerProxy(String name, String hostPort, String user, String password, String project) {
        long id = AdminCalls.call(berth, "POST", "/api/v1/registries", "{\"name\":\"" + name + "\",\"type\":\"v2\","
                + "\"url\":\"http://" + hostPort + "\",\"insecure\":true,\"credential\":{\"username\":\"" + user
                + "\",\"password\":\"" + password + "\"}}", 201).path("id").asLong();
        AdminCalls.call(berth, "POST", "/api/v1/projects", "{\"name\":\"" + project + "\",\"public\":true,"
                + "\"proxy\":{\"registryId\":" + id + "}}", 201);
        return id;
    }

    @AfterAll
    static void cleanUp() {
        if (relay != null) {
            relay.close();
        }
        if (distribution != null) {
            distribution.close();
        }
        if (issuer != null) {
            issuer.close();
        }
        E2e.deleteTree(work);
    }

    // ---- another Berth as the upstream -------------------------------------------------------

    @Test
    @Order(1)
    void berthUpstream_skopeoCopiesAPrivateImageThroughTheProxy() throws IOException {
        Path out = work.resolve("berth-skopeo");
        skopeo.ok("copy", "--src-tls-verify=false", "docker://" + berth.hostPort() + "/berthmirror/vault/app:v1",
                "oci:" + out + ":pulled");
        assertLayoutHolds(out, vaultImage);
    }

    @Test
    @Order(2)
    void berthUpstream_podmanPullsTheUpstreamsDigest() {
        try (Podman podman = Podman.require(work.resolve("podman-berth"))) {
            String ref = berth.hostPort() + "/berthmirror/vault/app:v1";
            podman.ok("berth", "pull", "--tls-verify=false", ref);
            assertEquals(vaultImage.manifestDigest(),
                    podman.ok("berth", "image", "inspect", "--format", "{{.Digest}}", ref).stdout().trim());
        }
    }

    @Test
    @Order(3)
    void berthUpstream_dockerPullsTheUpstreamsDigest() {
        try (Dockerd docker = Dockerd.start(berth.hostPort(), E2e.logDir().resolve("proxy-auth-dockerd.log"))) {
            String ref = berth.hostPort() + "/berthmirror/vault/app:v1";
            String pulled = docker.ok("pull", ref).stdout();
            assertTrue(pulled.contains("Digest: " + vaultImage.manifestDigest()), pulled);
        }
    }

    /** The token dance happened at the upstream (its token service answered), and its audit log names the robot. */
    @Test
    @Order(4)
    void berthUpstream_auditLogShowsThePullByTheRobot() {
        assertTrue(upstreamBerth.requestCount("token.get") > 0, "the proxy never asked the upstream's token service");
        String query = "/api/v1/projects/vault/logs?action=pull&user=" + URLEncoder.encode(ROBOT, StandardCharsets.UTF_8);
        Instant deadline = Instant.now().plus(AUDIT_WAIT); // audit lines are written from the event outbox, a moment later
        JsonNode lines = AdminCalls.call(upstreamBerth, "GET", query, null, 200);
        while (lines.isEmpty() && Instant.now().isBefore(deadline)) {
            sleep(250);
            lines = AdminCalls.call(upstreamBerth, "GET", query, null, 200);
        }
        assertFalse(lines.isEmpty(), "no pull by " + ROBOT + " in vault's audit log after " + AUDIT_WAIT);
        JsonNode line = lines.get(0);
        assertEquals("robot", line.path("userKind").asText(), line.toString());
        assertEquals("vault/app", line.path("repository").asText(), line.toString());
        assertEquals("success", line.path("result").asText(), line.toString());
    }

    /**
     * The robot may pull only in vault: the same upstream's private project other is not served
     * through the proxy. The upstream refuses the token it issued, as Docker Hub does for a name it
     * lacks, so the client hears of an unknown name (404), not of a broken upstream.
     */
    @Test
    @Order(5)
    void berthUpstream_theRobotsRightsBoundWhatTheProxyFetches() {
        V2Client.Manifest refused = berth.v2().manifest("berthmirror/other/app", "v1");
        assertError(refused, 404, "NAME_UNKNOWN", "has no such repository or refuses access to it");
        assertFalse(skopeo.run("inspect", "--tls-verify=false", "docker://" + berth.hostPort()
                + "/berthmirror/other/app:v1").ok(), "other/app must not come through the robot's proxy");
    }

    /**
     * Wrong credentials: the ping says so (400), and a client's pull fails with 503 {@code UNAVAILABLE}
     * whose message says why (skopeo shows the status only), not with a 500, and no secret in sight.
     */
    @Test
    @Order(6)
    void berthUpstream_wrongCredentialsGiveTheClientAClearFailure() {
        JsonNode ping = AdminCalls.call(berth, "POST", "/api/v1/registries/" + wrongCredentialsEndpoint + "/ping", null, 400);
        assertTrue(ping.toString().contains("refused the credentials"), ping.toString());
        assertError(berth.v2().manifest("wrongcreds/vault/app", "v1"), 503, "UNAVAILABLE",
                "refused access with the registry endpoint's credentials");
        Proc.Result pull = skopeo.run("copy", "--src-tls-verify=false", "docker://" + berth.hostPort()
                + "/wrongcreds/vault/app:v1", "oci:" + work.resolve("wrong") + ":pulled");
        assertFalse(pull.ok(), "a pull through wrong credentials must fail: " + pull.describe());
        // skopeo (containers/image) shows only the status of a 5xx, not its error body
        assertTrue(pull.stderr().contains("503 Service Unavailable"), pull.describe());
        assertFalse(pull.stderr().contains(robotSecret), "no secret in what the client sees");
    }

    @Test
    @Order(7)
    void berthUpstreamDown_whatWasPulledIsServedByTagAndByDigest() throws IOException {
        upstreamBerth.stop();
        assertServedFromCache("berthmirror/vault/app", "v1", vaultImage, "berth-down");
    }

    // ---- CNCF Distribution with token authentication -----------------------------------------

    @Test
    @Order(8)
    void distribution_skopeoCopiesThroughTheProxy() throws IOException {
        Path out = work.resolve("distribution-skopeo");
        skopeo.ok("copy", "--src-tls-verify=false", "docker://" + berth.hostPort() + "/distmirror/team/tool:v2",
                "oci:" + out + ":pulled");
        assertLayoutHolds(out, toolImage);
    }

    @Test
    @Order(9)
    void distribution_podmanPullsTheUpstreamsDigest() {
        try (Podman podman = Podman.require(work.resolve("podman-distribution"))) {
            String ref = berth.hostPort() + "/distmirror/team/tool:v2";
            podman.ok("distribution", "pull", "--tls-verify=false", ref);
            assertEquals(toolImage.manifestDigest(),
                    podman.ok("distribution", "image", "inspect", "--format", "{{.Digest}}", ref).stdout().trim());
        }
    }

    /**
     * Berth asked the issuer for {@code repository:team/tool:pull} with the endpoint's credentials,
     * never for more; the registry received only Bearer tokens: the password went to the issuer alone.
     */
    @Test
    @Order(10)
    void distribution_tokenDanceAsksForPullScopeAndSendsThePasswordOnlyToTheIssuer() {
        List<TokenIssuer.Request> asked = issuer.requests();
        System.out.println("token requests: " + asked);
        assertFalse(asked.isEmpty(), "the issuer was never asked for a token");
        for (TokenIssuer.Request request : asked) {
            assertEquals(PULLER, request.user(), "every token request carries the endpoint's user: " + asked);
            assertTrue(request.accepted(), "every token request had the right password: " + asked);
            assertEquals(TokenIssuer.SERVICE, request.service(), asked.toString());
            assertTrue(request.scopes().stream().noneMatch(s -> s.contains("push")), "Berth asked for push: " + asked);
        }
        assertTrue(asked.stream().anyMatch(r -> r.scopes().contains("repository:team/tool:pull")),
                "no token for repository:team/tool:pull: " + asked);

        List<RecordingRelay.Request> seen = relay.requests();
        assertTrue(seen.stream().anyMatch(r -> r.pathAndQuery().startsWith("/v2/team/tool/manifests/")), seen.toString());
        List<String> authorizations = new ArrayList<>();
        seen.forEach(r -> authorizations.add(r.authorization() == null ? "none" : r.authorization().split(" ")[0]));
        System.out.println("the registry saw " + seen.size() + " requests, with Authorization " + new TreeSet<>(authorizations));
        assertTrue(authorizations.contains("Bearer"), "the registry never saw a token: " + authorizations);
        assertTrue(authorizations.stream().allMatch(a -> a.equals("Bearer") || a.equals("none")),
                "the registry saw other credentials than tokens: " + authorizations);
    }

    @Test
    @Order(11)
    void distributionDown_whatWasPulledIsServedByTagAndByDigest() throws IOException {
        relay.close();
        distribution.stop();
        assertServedFromCache("distmirror/team/tool", "v2", toolImage, "distribution-down");
    }

    // ---- helpers -----------------------------------------------------------------------------

    /** skopeo copies {@code repository:tag} and {@code repository@digest} from the proxy, byte for byte. */
    private static void assertServedFromCache(String repository, String tag, TestImages.Image image, String dir)
            throws IOException {
        Path byTag = work.resolve(dir + "-tag");
        skopeo.ok("copy", "--src-tls-verify=false", "docker://" + berth.hostPort() + "/" + repository + ":" + tag,
                "oci:" + byTag + ":pulled");
        assertLayoutHolds(byTag, image);
        Path byDigest = work.resolve(dir + "-digest");
        skopeo.ok("copy", "--src-tls-verify=false", "docker://" + berth.hostPort() + "/" + repository + "@"
                + image.manifestDigest(), "oci:" + byDigest + ":pulled");
        assertLayoutHolds(byDigest, image);
    }

    /** The layout's one image is {@code image}, byte for byte: manifest digest and every blob. */
    private static void assertLayoutHolds(Path layout, TestImages.Image image) throws IOException {
        String index = Files.readString(layout.resolve("index.json"));
        assertTrue(index.contains(image.manifestDigest()), index);
        assertEquals(image.configDigest(), E2e.sha256(TestImages.blobPath(layout, image.configDigest())));
        for (String layer : image.layerDigests()) {
            assertEquals(layer, E2e.sha256(TestImages.blobPath(layout, layer)));
        }
    }

    /** The registry answered {@code status} with {@code code} first in its error body, and a message containing {@code says}. */
    private static void assertError(V2Client.Manifest answer, int status, String code, String says) {
        String body = new String(answer.bytes(), StandardCharsets.UTF_8);
        System.out.println("answer " + answer.status() + ": " + body);
        assertEquals(status, answer.status(), body);
        JsonNode error = V2Client.parse(answer.bytes()).path("errors").path(0);
        assertEquals(code, error.path("code").asText(), body);
        assertTrue(error.path("message").asText().contains(says), body);
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
