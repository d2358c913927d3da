package io.berth.gateway.testing;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.berth.store.upstream.DockerHubEmulation;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.berth.store.upstream.DockerHubEmulation.authorized;

/**
 * Images in a {@link DockerHubEmulation}, answered as Docker Hub answers them to a caller with
 * its token: manifests with {@code Docker-Content-Digest} and the {@code ratelimit-*} headers of
 * an anonymous pull budget, blobs by a 307 to the CDN, which serves them without a token.
 */
public final class HubContent {
    /** Docker Hub's anonymous budget: 100 pulls per 6 hours. */
    private static final String LIMIT = "100;w=21600";

    private HubContent() {
    }

    /** The manifest under {@code tag} (GET and HEAD) and its digest (GET), with {@code remaining} pulls left. */
    public static void manifest(DockerHubEmulation hub, String repository, String tag, TestContent.Blob manifest,
                                int remaining) {
        String path = "/v2/" + repository + "/manifests/";
        hub.registry.stubFor(authorized(get(urlPathEqualTo(path + tag))).willReturn(manifestAnswer(manifest, remaining)
                .withBody(manifest.bytes())));
        hub.registry.stubFor(authorized(head(urlPathEqualTo(path + tag)))
                .willReturn(manifestAnswer(manifest, remaining)));
        hub.registry.stubFor(authorized(get(urlPathEqualTo(path + manifest.digest())))
                .willReturn(manifestAnswer(manifest, remaining).withBody(manifest.bytes())));
    }

    /** Every request for the manifest under {@code tag} (GET and HEAD) gets {@code answer}. */
    public static void manifestFails(DockerHubEmulation hub, String repository, String tag,
                                     ResponseDefinitionBuilder answer) {
        String path = "/v2/" + repository + "/manifests/" + tag;
        hub.registry.stubFor(authorized(get(urlPathEqualTo(path))).willReturn(answer));
        hub.registry.stubFor(authorized(head(urlPathEqualTo(path))).willReturn(answer));
    }

    /** The blob, redirected (307) to the CDN, which serves {@code served} for it. */
    public static void blobViaCdn(DockerHubEmulation hub, String repository, String digest, byte[] served) {
        String cdnPath = "/registry-v2/docker/registry/v2/blobs/" + digest.replace(':', '/') + "/data";
        blobRedirect(hub, repository, digest, hub.cdnUrl(cdnPath + "?verify=1735689600-abc&expires=1"));
        hub.cdn.stubFor(get(urlPathEqualTo(cdnPath)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/octet-stream")
                .withHeader("Content-Length", String.valueOf(served.length)).withBody(served)));
    }

    /** The blob, redirected (307) to the CDN, which serves it right. */
    public static void blobViaCdn(DockerHubEmulation hub, String repository, byte[] blob) {
        blobViaCdn(hub, repository, TestContent.digest(blob), blob);
    }

    /** A GET of the blob is redirected (307) to {@code location}. */
    public static void blobRedirect(DockerHubEmulation hub, String repository, String digest, String location) {
        hub.registry.stubFor(authorized(get(urlPathEqualTo("/v2/" + repository + "/blobs/" + digest)))
                .willReturn(aResponse().withStatus(307).withHeader("Location", location)));
    }

    /** A GET of the blob gets {@code answer} from the registry itself. */
    public static void blobFails(DockerHubEmulation hub, String repository, String digest,
                                 ResponseDefinitionBuilder answer) {
        hub.registry.stubFor(authorized(get(urlPathEqualTo("/v2/" + repository + "/blobs/" + digest)))
                .willReturn(answer));
    }

    private static ResponseDefinitionBuilder manifestAnswer(TestContent.Blob manifest, int remaining) {
        return aResponse().withStatus(200).withHeader("Content-Type", manifest.mediaType())
                .withHeader("Docker-Content-Digest", manifest.digest())
                .withHeader("ratelimit-limit", LIMIT).withHeader("ratelimit-remaining", remaining + ";w=21600")
                .withHeader("docker-ratelimit-source", "203.0.113.7");
    }
}
