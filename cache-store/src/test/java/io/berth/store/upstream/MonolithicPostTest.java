package io.berth.store.upstream;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.berth.store.oci.Digest;
import io.berth.store.upstream.UpstreamWriter.PushResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.berth.store.upstream.DistributionPushTest.bytes;
import static io.berth.store.upstream.UpstreamTesting.fastOptions;
import static io.berth.store.upstream.UpstreamTesting.randomBytes;
import static io.berth.store.upstream.UpstreamTesting.sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Small blobs in one request: a registry that takes {@code POST ?digest=} with the blob stores it
 * from that one request (no {@code PUT}); one that answers 202 (Distribution 2.8) gets the blob in
 * the session it opened, and no further single POST is tried on it.
 */
class MonolithicPostTest {
    private static final String REPO = "site/app";
    private static final String UPLOADS = "/v2/" + REPO + "/blobs/uploads/";
    private static final String SESSION = UPLOADS + "s1";

    private WireMockServer registry;
    private RegistryClient client;

    @BeforeEach
    void start() {
        registry = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        registry.start();
        client = new RegistryClient(BlobUploadFaultsTest.v2(java.net.URI.create("http://127.0.0.1:" + registry.port())),
                fastOptions());
    }

    @AfterEach
    void stop() {
        client.close();
        registry.stop();
    }

    @Test
    void smallBlob_toARegistryThatTakesASinglePost_goesInOneRequest() throws Exception {
        byte[] blob = randomBytes(5_000, 1);
        Digest digest = sha256(blob);
        registry.stubFor(post(urlPathEqualTo(UPLOADS)).willReturn(aResponse().withStatus(201)
                .withHeader("Docker-Content-Digest", digest.toString())));

        PushResult result = client.writer().pushBlob(REPO, digest, blob.length, bytes(blob), PushOptions.defaults());

        assertEquals(new PushResult(false, blob.length, 0), result);
        registry.verify(1, anyRequestedFor(anyUrl()));
        registry.verify(1, postRequestedFor(urlPathEqualTo(UPLOADS)).withQueryParam("digest", equalTo(digest.toString()))
                .withRequestBody(binaryEqualTo(blob)));
    }

    @Test
    void smallBlob_toARegistryThatOpensASessionInstead_isPutThere_andTheNextBlobIsNotPostedWhole() throws Exception {
        byte[] first = randomBytes(5_000, 2);
        byte[] second = randomBytes(7_000, 3);
        registry.stubFor(post(urlPathEqualTo(UPLOADS)).willReturn(aResponse().withStatus(202)
                .withHeader("Location", SESSION).withHeader("Range", "0-0")));
        for (byte[] blob : new byte[][] {first, second}) {
            registry.stubFor(put(urlPathEqualTo(SESSION)).withQueryParam("digest", equalTo(sha256(blob).toString()))
                    .willReturn(aResponse().withStatus(201).withHeader("Docker-Content-Digest", sha256(blob).toString())));
        }

        PushResult one = client.writer().pushBlob(REPO, sha256(first), first.length, bytes(first), PushOptions.defaults());
        PushResult two = client.writer().pushBlob(REPO, sha256(second), second.length, bytes(second),
                PushOptions.defaults());

        assertEquals(new PushResult(false, 2L * first.length, 0), one, "the body went twice: ignored, then put");
        assertEquals(new PushResult(false, second.length, 0), two);
        registry.verify(1, postRequestedFor(urlPathEqualTo(UPLOADS)).withQueryParam("digest",
                equalTo(sha256(first).toString())));
        registry.verify(1, postRequestedFor(urlPathEqualTo(UPLOADS)).withQueryParam("digest", absent()));
        registry.verify(1, putRequestedFor(urlPathEqualTo(SESSION)).withRequestBody(binaryEqualTo(first)));
        registry.verify(1, putRequestedFor(urlPathEqualTo(SESSION)).withRequestBody(binaryEqualTo(second)));
        registry.verify(4, anyRequestedFor(urlPathMatching("/v2/.*")));
    }

    @Test
    void blobAboveTheTrialSize_isNotPostedWhole_beforeTheRegistryShowedItTakesThat() throws Exception {
        byte[] blob = randomBytes((int) MonolithicPosts.TRIAL_LIMIT + 1, 4);
        Digest digest = sha256(blob);
        registry.stubFor(post(urlPathEqualTo(UPLOADS)).willReturn(aResponse().withStatus(202)
                .withHeader("Location", SESSION).withHeader("Range", "0-0")));
        registry.stubFor(put(urlPathEqualTo(SESSION)).willReturn(aResponse().withStatus(201)
                .withHeader("Docker-Content-Digest", digest.toString())));

        PushResult result = client.writer().pushBlob(REPO, digest, blob.length, bytes(blob), PushOptions.defaults());

        assertEquals(new PushResult(false, blob.length, 0), result, "sent once, in the PUT");
        registry.verify(1, postRequestedFor(urlPathEqualTo(UPLOADS)).withQueryParam("digest", absent()));
    }
}
