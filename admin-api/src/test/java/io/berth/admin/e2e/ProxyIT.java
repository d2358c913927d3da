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
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A proxy project in front of a real upstream (CNCF Distribution), pulled through by skopeo,
 * podman and docker, by path prefix and in each mirror mode (dockerd's {@code registry-mirrors},
 * containerd's {@code hosts.toml} with {@code ?ns=}, podman's registries.conf mirror); then the
 * upstream goes away and what was pulled or preheated is still served, by tag and by digest. The
 * upstream is registered as a {@code docker-hub} endpoint, so that Docker Hub's names and
 * {@code ns=docker.io} apply to it; project {@code hub} is the default mirror. Authentication is
 * on; the project is public.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProxyIT {
    @RegisterExtension
    static final BerthProcess berth = new BerthProcess("proxy").withEnv("BERTH_PROXY_DEFAULT_MIRROR_PROJECT", "hub");

    private static DistributionProcess upstream;
    private static Path work;
    private static Skopeo skopeo;
    private static TestImages.Image alpine;
    private static TestImages.Index redis;

    @BeforeAll
    static void upstreamWithImages() throws IOException {
        work = E2e.tempDir("proxy");
        skopeo = Skopeo.require(work);
        upstream = DistributionProcess.start("proxy");
        Path layout = work.resolve("layout");
        alpine = TestImages.singleArch(layout, "alpine", 707, 2, 384 * 1024, "amd64");
        skopeo.ok("copy", "--dest-tls-verify=false", "oci:" + layout + ":alpine",
                "docker://" + upstream.hostPort() + "/library/alpine:3.20");
        Path multi = work.resolve("multi");
        redis = TestImages.multiArch(multi, "redis", 708, List.of("amd64", "arm64"), 256 * 1024);
        skopeo.ok("copy", "--all", "--dest-tls-verify=false", "oci:" + multi + ":redis",
                "docker://" + upstream.hostPort() + "/library/redis:7");
        long registryId = AdminCalls.call(berth, "POST", "/api/v1/registries", "{\"name\":\"hub-emulation\","
                + "\"type\":\"docker-hub\",\"url\":\"http://" + upstream.hostPort() + "\"}", 201).path("id").asLong();
        AdminCalls.call(berth, "POST", "/api/v1/projects", "{\"name\":\"hub\",\"public\":true,"
                + "\"proxy\":{\"registryId\":" + registryId + "}}", 201);
    }

    @AfterAll
    static void cleanUp() {
        if (upstream != null) {
            upstream.close();
        }
        E2e.deleteTree(work);
    }

    @Test
    @Order(1)
    void skopeoCopiesThroughTheProxyByPathPrefix() throws IOException {
        Path out = work.resolve("skopeo-out");
        skopeo.ok("copy", "--src-tls-verify=false", "docker://" + berth.hostPort() + "/hub/library/alpine:3.20",
                "oci:" + out + ":pulled");
        assertLayoutHoldsAlpine(out);
    }

    @Test
    @Order(2)
    void podmanPullsASingleSegmentDockerHubName() {
        try (Podman podman = Podman.require(work.resolve("podman"))) {
            String ref = berth.hostPort() + "/hub/alpine:3.20"; // library/alpine upstream, no redirect
            podman.ok("short", "pull", "--tls-verify=false", ref);
            String digest = podman.ok("short", "image", "inspect", "--format", "{{.Digest}}", ref).stdout().trim();
            assertEquals(alpine.manifestDigest(), digest);
        }
    }

    @Test
    @Order(3)
    void podmanPullsDockerHubNamesThroughARegistriesConfMirror() throws IOException {
        Path conf = work.resolve("registries.conf");
        Files.writeString(conf, String.join("\n",
                "[[registry]]",
                "prefix = \"docker.io\"",
                "location = \"127.0.0.1:1\"", // never the real Docker Hub: only the mirror answers
                "insecure = true",
                "[[registry.mirror]]",
                "location = \"" + berth.hostPort() + "/hub\"",
                "insecure = true",
                ""));
        try (Podman podman = Podman.require(work.resolve("podman-mirror")).withRegistriesConf(conf)) {
            podman.ok("mirror", "pull", "docker.io/library/alpine:3.20");
            String digest = podman.ok("mirror", "image", "inspect", "--format", "{{.Digest}}",
                    "docker.io/library/alpine:3.20").stdout().trim();
            assertEquals(alpine.manifestDigest(), digest);
        }
    }

    @Test
    @Order(4)
    void dockerdPullsThroughBerthAsItsRegistryMirror() {
        try (Dockerd docker = Dockerd.start(berth.hostPort(), E2e.logDir().resolve("proxy-dockerd.log"),
                "--registry-mirror", "http://" + berth.hostPort())) {
            docker.ok("pull", "alpine:3.20");
            String digests = docker.ok("image", "inspect", "--format", "{{json .RepoDigests}}", "alpine:3.20").stdout();
            assertTrue(digests.contains(alpine.manifestDigest()), digests);
        }
    }

    @Test
    @Order(5)
    void containerdPullsThroughBerthWithHostsToml() throws IOException {
        Path hosts = work.resolve("certs.d/docker.io");
        Files.createDirectories(hosts);
        Files.writeString(hosts.resolve("hosts.toml"), String.join("\n",
                "server = \"http://127.0.0.1:1\"", // never the real Docker Hub: the test reaches nothing but 127.0.0.1
                "[host.\"http://" + berth.hostPort() + "\"]",
                "  capabilities = [\"pull\", \"resolve\"]",
                ""));
        try (Containerd containerd = Containerd.start(E2e.logDir().resolve("proxy-containerd.log"))) {
            containerd.ok("images", "pull", "--plain-http", "--snapshotter", "native", "--hosts-dir",
                    work.resolve("certs.d").toString(), "docker.io/library/alpine:3.20");
            String check = containerd.ok("images", "check", "name==docker.io/library/alpine:3.20").stdout();
            assertTrue(check.contains("complete"), check);
        }
        HttpResponse<byte[]> answer = berth.v2().send(berth.v2().request("/v2/library/alpine/manifests/3.20?ns=docker.io")
                .header("Accept", V2Client.MANIFEST_ACCEPT).GET().build());
        assertEquals(200, answer.statusCode());
        assertEquals("docker.io", answer.headers().firstValue("OCI-Namespace").orElse(null));
    }

    @Test
    @Order(6)
    void pushesIntoTheProxyProjectAreRefused() {
        HttpResponse<byte[]> r = berth.v2().send(berth.v2().request("/v2/hub/library/alpine/blobs/uploads/")
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertTrue(r.statusCode() == 403 || r.statusCode() == 405, "push into a proxy project: " + r.statusCode());
    }

    @Test
    @Order(7)
    void preheatOfOnePlatformFetchesTheIndexAndThatPlatformsImage() throws InterruptedException {
        JsonNode job = AdminCalls.call(berth, "POST", "/api/v1/projects/hub/preheat",
                "{\"references\":[\"redis:7\"],\"platforms\":[\"linux/arm64\"]}", 202);
        long id = job.path("id").asLong();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (Set.of("queued", "running").contains(job.path("status").asText()) && System.nanoTime() < deadline) {
            Thread.sleep(250);
            job = AdminCalls.call(berth, "GET", "/api/v1/preheat/" + id, null, 200);
        }
        assertEquals("succeeded", job.path("status").asText(), job.toString());
        TestImages.Image arm64 = redis.images().get(1);
        assertEquals(2, job.path("done").path("manifests").asLong(), job.toString()); // the index and arm64's
        assertEquals(arm64.layerDigests().size() + 1, job.path("done").path("blobs").asLong(), job.toString());
        assertEquals(redis.indexDigest(), job.path("items").path(0).path("digest").asText(), job.toString());
    }

    @Test
    @Order(8)
    void withTheUpstreamDownWhatWasPulledIsStillServedByTagAndByDigest() throws IOException {
        upstream.stop();
        Path byTag = work.resolve("down-tag");
        skopeo.ok("copy", "--src-tls-verify=false", "docker://" + berth.hostPort() + "/hub/library/alpine:3.20",
                "oci:" + byTag + ":pulled");
        assertLayoutHoldsAlpine(byTag);
        Path byDigest = work.resolve("down-digest");
        skopeo.ok("copy", "--src-tls-verify=false", "docker://" + berth.hostPort() + "/hub/library/alpine@"
                + alpine.manifestDigest(), "oci:" + byDigest + ":pulled");
        assertLayoutHoldsAlpine(byDigest);
        Path preheated = work.resolve("down-preheated");
        skopeo.ok("copy", "--src-tls-verify=false", "--override-os", "linux", "--override-arch", "arm64",
                "docker://" + berth.hostPort() + "/hub/library/redis:7", "oci:" + preheated + ":pulled");
        assertTrue(Files.readString(preheated.resolve("index.json")).contains(redis.images().get(1).manifestDigest()));
        assertFalse(skopeo.run("inspect", "--raw", "--tls-verify=false", "docker://" + berth.hostPort()
                + "/hub/library/redis@" + redis.images().get(0).manifestDigest()).ok(), "amd64 was not preheated");
        Proc.Result never = skopeo.run("inspect", "--tls-verify=false", "docker://" + berth.hostPort()
                + "/hub/library/busybox:1");
        assertFalse(never.ok(), "an image never pulled cannot come from a stopped upstream");
    }

    /** The layout's one image is the upstream's alpine, byte for byte: manifest digest and every blob. */
    private static void assertLayoutHoldsAlpine(Path layout) throws IOException {
        String index = Files.readString(layout.resolve("index.json"));
        assertTrue(index.contains(alpine.manifestDigest()), index);
        assertEquals(alpine.configDigest(), E2e.sha256(TestImages.blobPath(layout, alpine.configDigest())));
        for (String layer : alpine.layerDigests()) {
            assertEquals(layer, E2e.sha256(TestImages.blobPath(layout, layer)));
        }
    }
}
