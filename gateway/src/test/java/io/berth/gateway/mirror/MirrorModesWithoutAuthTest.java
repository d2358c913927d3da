package io.berth.gateway.mirror;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.gateway.testing.ProxyFixtures;
import io.berth.gateway.testing.RegistryServer;
import io.berth.gateway.testing.TestContent;
import io.berth.store.meta.Transactions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.util.List;

import static io.berth.gateway.testing.OciAssertions.assertError;
import static io.berth.gateway.testing.OciAssertions.assertHeader;
import static io.berth.gateway.testing.OciAssertions.assertStatus;
import static io.berth.gateway.testing.OciAssertions.json;
import static io.berth.gateway.testing.OciAssertions.strings;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The mirror modes of a registry without access control and without a default mirror project: a
 * name of no project cannot be served (404 at once, so dockerd tries its next endpoint), while
 * {@code ?ns=} still reaches the proxy of that host, and listings name what the client asked for.
 */
class MirrorModesWithoutAuthTest {
    private static final TestContent.Blob CONFIG = TestContent.config(91);
    private static final TestContent.Blob LAYER = TestContent.layer(91, 1000);
    private static final TestContent.Blob IMAGE = TestContent.image(CONFIG, LAYER).build();

    @RegisterExtension
    static final RegistryServer SERVER = new RegistryServer()
            .withMirrors(registry -> new MirrorNames(registry.transactions(), MirrorSettings.none()));

    @BeforeAll
    static void aDockerHubProxy() {
        for (String tag : List.of("a", "b", "c")) {
            SERVER.client().pushBlob("hub/library/busybox", CONFIG);
            SERVER.client().pushBlob("hub/library/busybox", LAYER);
            SERVER.client().pushManifest("hub/library/busybox", tag, IMAGE);
        }
        Transactions tx = SERVER.registry().transactions();
        ProxyFixtures.makeProxy(tx, "hub", ProxyFixtures.registryEndpoint(tx, "docker-hub", "docker-hub",
                "https://registry-1.docker.io"));
        SERVER.registry().repositories().forget("hub");
    }

    @Test
    void withoutADefaultMirror_aNameOfNoProject_isNameUnknownAtOnce() {
        HttpResponse<byte[]> refused = SERVER.client().get("/v2/library/busybox/manifests/a");

        JsonNode error = assertError(refused, 404, "NAME_UNKNOWN");
        assertTrue(error.get("message").asText().contains("proxy.defaultMirrorProject"), error.toString());
    }

    @Test
    void ns_reachesTheProxyOfThatHost() {
        HttpResponse<byte[]> manifest = SERVER.client().get("/v2/library/busybox/manifests/a?ns=docker.io",
                "Accept", IMAGE.mediaType());

        assertStatus(200, manifest);
        assertArrayEquals(IMAGE.bytes(), manifest.body());
        assertHeader("docker.io", manifest, "OCI-Namespace");
    }

    @Test
    void aPagedTagListing_namesTheClientsRepository_andItsNextLinkKeepsTheNs() {
        HttpResponse<byte[]> page = SERVER.client().get("/v2/library/busybox/tags/list?n=2&ns=docker.io");

        assertStatus(200, page);
        assertEquals("library/busybox", json(page.body()).get("name").asText());
        assertEquals(List.of("a", "b"), strings(json(page.body()), "tags"));
        assertHeader("</v2/library/busybox/tags/list?n=2&last=b&ns=docker.io>; rel=\"next\"", page, "Link");
    }

    @Test
    void aProjectAPushCreates_isReadAtOnce_evenWhereAMirrorWouldServeItsNames() {
        String name = "/v2/fresh/app/manifests/1.0";
        assertError(SERVER.client().get(name), 404, "NAME_UNKNOWN"); // found missing, and remembered so

        SERVER.client().pushImage("fresh/app", "1.0", 93);

        assertStatus(200, SERVER.client().get(name));
    }

    @Test
    void localProjects_areServedAsNamed() {
        SERVER.client().pushImage("team/app", "1.0", 92);

        assertStatus(200, SERVER.client().get("/v2/team/app/manifests/1.0"));
        assertStatus(200, SERVER.client().get("/v2/hub/library/busybox/manifests/a"));
    }
}
