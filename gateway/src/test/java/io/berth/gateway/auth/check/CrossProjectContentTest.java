package io.berth.gateway.auth.check;

import io.berth.gateway.testing.RegistryServer;
import io.berth.gateway.testing.TestContent;
import io.berth.gateway.testing.V2Client;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;

import static io.berth.gateway.auth.check.Tenants.ROBOT;
import static io.berth.gateway.testing.OciAssertions.assertError;
import static io.berth.gateway.testing.OciAssertions.assertStatus;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No content crosses a project boundary the caller cannot read, by any route: a blob that is only
 * in the private project bravo cannot be mounted (with or without {@code from=}), linked by a
 * manifest push, or pulled by alice, who may read alpha only, whether she signs in with Basic
 * credentials or with the tokens docker fetches; carol, who may read bravo, mounts it into her own
 * project; and anyone who may push mounts the public project's blobs. A refused mount is an upload,
 * as the spec allows.
 */
class CrossProjectContentTest {
    private static final Tenants TENANTS = new Tenants();
    @RegisterExtension
    static final RegistryServer SERVER = TENANTS.server;

    private static TestContent.Blob secret;
    private static TestContent.Blob secretManifest;
    private static TestContent.Blob shared;

    @BeforeAll
    static void content() {
        TENANTS.start();
        secret = TestContent.layer(601, 3000);
        TestContent.Blob config = TestContent.config(601);
        push("bravo/app", config, "bob");
        push("bravo/app", secret, "bob");
        secretManifest = TestContent.image(config, secret).build();
        assertStatus(201, client().put("/v2/bravo/app/manifests/v1", secretManifest.bytes(), "Content-Type",
                secretManifest.mediaType(), "Authorization", TENANTS.basic("bob")));
        shared = TestContent.layer(602, 2000);
        push("pub/base", shared, "admin");
        push("alpha/app", TestContent.config(603), "alice");
    }

    private static V2Client client() {
        return TENANTS.client();
    }

    private static void push(String repository, TestContent.Blob blob, String as) {
        assertStatus(201, client().post("/v2/" + repository + "/blobs/uploads/?digest=" + blob.digest(), blob.bytes(),
                "Authorization", TENANTS.basic(as)));
    }

    private static HttpResponse<byte[]> mount(String target, TestContent.Blob blob, String from, String authorization) {
        return client().post("/v2/" + target + "/blobs/uploads/?mount=" + blob.digest()
                + (from == null ? "" : "&from=" + from), new byte[0], "Authorization", authorization);
    }

    /** A mount that became an upload session in {@code target}, and linked nothing. */
    private static void assertUploadInstead(HttpResponse<byte[]> response, String target, TestContent.Blob blob) {
        assertStatus(202, response);
        assertTrue(response.headers().firstValue("Location").orElseThrow().startsWith("/v2/" + target
                + "/blobs/uploads/"));
        assertNotIn(target, blob);
    }

    private static void assertNotIn(String repository, TestContent.Blob blob) {
        assertError(client().get("/v2/" + repository + "/blobs/" + blob.digest(), "Authorization",
                TENANTS.basic("admin")), 404, "BLOB_UNKNOWN");
    }

    private static void assertMounted(HttpResponse<byte[]> response, String target, TestContent.Blob blob) {
        assertStatus(201, response);
        assertEquals("/v2/" + target + "/blobs/" + blob.digest(), response.headers().firstValue("Location").orElseThrow());
        assertArrayEquals(blob.bytes(), client().get("/v2/" + target + "/blobs/" + blob.digest(), "Authorization",
                TENANTS.basic("admin")).body());
    }

    @Test
    void aliceCannotMountBravosBlob_withOrWithoutFrom_andUploadsInstead() {
        String basic = TENANTS.basic("alice");

        assertUploadInstead(mount("alpha/app", secret, "bravo/app", basic), "alpha/app", secret);
        assertUploadInstead(mount("alpha/app", secret, null, basic), "alpha/app", secret);
        assertUploadInstead(mount("alpha/app", secret, "alpha/app", basic), "alpha/app", secret);
    }

    @Test
    void aliceCannotMountBravosBlob_withTheTokenDockerAsksFor_whichLacksPullOnTheSource() {
        // docker asks one token for both; the token service grants only the target
        String token = TENANTS.bearer("alice", "repository:alpha/app:pull,push", "repository:bravo/app:pull");

        assertUploadInstead(mount("alpha/app", secret, "bravo/app", token), "alpha/app", secret);
        assertUploadInstead(mount("alpha/app", secret, null, token), "alpha/app", secret);
    }

    @Test
    void aliceCannotLinkBravosBlob_byPushingAManifestThatReferencesIt() {
        TestContent.Blob config = TestContent.config(604);
        push("alpha/app", config, "alice");
        TestContent.Blob manifest = TestContent.image(config, secret).build();
        String token = TENANTS.bearer("alice", "repository:alpha/app:pull,push");

        for (String authorization : new String[] {TENANTS.basic("alice"), token}) {
            assertError(client().put("/v2/alpha/app/manifests/stolen", manifest.bytes(), "Content-Type",
                    manifest.mediaType(), "Authorization", authorization), 404, "MANIFEST_BLOB_UNKNOWN");
        }
        assertNotIn("alpha/app", secret);
        assertError(client().get("/v2/alpha/app/manifests/stolen", "Authorization", TENANTS.basic("alice")), 404,
                "MANIFEST_UNKNOWN");
    }

    @Test
    void aliceCannotPullBravosContent_byAnyRoute() {
        String basic = TENANTS.basic("alice");
        String token = TENANTS.bearer("alice", "repository:bravo/app:pull", "repository:alpha/app:pull,push");

        assertError(client().get("/v2/bravo/app/blobs/" + secret.digest(), "Authorization", basic), 403, "DENIED");
        assertError(client().get("/v2/bravo/app/blobs/" + secret.digest(), "Authorization", token), 401, "UNAUTHORIZED");
        assertError(client().get("/v2/bravo/app/manifests/v1", "Authorization", basic), 403, "DENIED");
        assertError(client().get("/v2/alpha/app/blobs/" + secret.digest(), "Authorization", basic), 404, "BLOB_UNKNOWN");
        assertStatus(404, client().head("/v2/alpha/app/blobs/" + secret.digest(), "Authorization", token));
        assertError(client().get("/v2/alpha/app/manifests/" + secretManifest.digest(), "Authorization", basic), 404,
                "MANIFEST_UNKNOWN");
        // naming the digest at the end of an upload does not stand in for the content
        String location = client().post("/v2/alpha/app/blobs/uploads/", new byte[0], "Authorization", basic)
                .headers().firstValue("Location").orElseThrow();
        assertError(client().put(location + "?digest=" + secret.digest(), new byte[0], "Authorization", basic), 400,
                "DIGEST_INVALID");
        assertError(client().post("/v2/alpha/app/blobs/uploads/?digest=" + secret.digest(), new byte[] {1},
                "Authorization", basic), 400, "DIGEST_INVALID");
        assertNotIn("alpha/app", secret);
    }

    @Test
    void theRobotOfAlpha_cannotMountBravosBlob_butMountsThePublicOne() {
        String basic = TENANTS.basic(ROBOT);

        assertUploadInstead(mount("alpha/robot", secret, "bravo/app", basic), "alpha/robot", secret);
        assertUploadInstead(mount("alpha/robot", secret, null, basic), "alpha/robot", secret);
        assertMounted(mount("alpha/robot", shared, null, basic), "alpha/robot", shared);
    }

    @Test
    void carol_whoMayReadBoth_mountsBravosBlob_withBasicCredentialsAndWithTokens() {
        // into her own project: alpha's other members may read what she puts into alpha
        assertMounted(mount("charlie/from", secret, "bravo/app", TENANTS.basic("carol")), "charlie/from", secret);
        assertMounted(mount("charlie/any", secret, null, TENANTS.basic("carol")), "charlie/any", secret);

        String token = TENANTS.bearer("carol", "repository:charlie/token:pull,push", "repository:bravo/app:pull");
        assertMounted(mount("charlie/token", secret, "bravo/app", token), "charlie/token", secret);
    }

    @Test
    void aTokenReadsNoMoreThanItGrants_evenWhereItsHolderCould() {
        String token = TENANTS.bearer("carol", "repository:charlie/narrow:pull,push");

        assertUploadInstead(mount("charlie/narrow", secret, null, token), "charlie/narrow", secret);
        assertMounted(mount("charlie/narrow", shared, null, token), "charlie/narrow", shared);
    }

    @Test
    void thePublicProjectsBlobs_areMountedByAnyoneWhoMayPush() {
        assertMounted(mount("alpha/pub-from", shared, "pub/base", TENANTS.basic("alice")), "alpha/pub-from", shared);
        assertMounted(mount("alpha/pub-any", shared, null, TENANTS.basic("alice")), "alpha/pub-any", shared);
        String token = TENANTS.bearer("alice", "repository:alpha/pub-token:pull,push", "repository:pub/base:pull");
        assertMounted(mount("alpha/pub-token", shared, "pub/base", token), "alpha/pub-token", shared);
    }

    @Test
    void anonymousClients_cannotMount_andAreAskedForTheSourceToo() {
        HttpResponse<byte[]> refused = client().post("/v2/alpha/app/blobs/uploads/?mount=" + shared.digest()
                + "&from=pub/base", new byte[0]);

        assertError(refused, 401, "UNAUTHORIZED");
        assertTrue(refused.headers().firstValue("WWW-Authenticate").orElseThrow()
                .endsWith(",scope=\"repository:alpha/app:push repository:pub/base:pull\""));
        assertNotIn("alpha/app", shared);
    }
}
