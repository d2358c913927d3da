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
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Signing in with real clients against the real server, authentication on (the default): the
 * challenge and the token service as clients see them; {@code docker login} with a wrong password
 * and with the right one, push, pull, {@code docker logout}, and what an anonymous docker may not
 * do; {@code podman login}, push and pull; skopeo with {@code --creds} / {@code --dest-creds};
 * containerd's {@code ctr --user}, which fetches its token with the OAuth2 password grant
 * ({@code POST /service/token}). Every project here is private (the default), and every client
 * keeps its credentials in a folder of this test.
 *
 * <p>The login throttle refuses a user name after 10 failed sign-ins in 5 minutes, so this class
 * spends only a few wrong passwords.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuthIT {
    @RegisterExtension
    static final BerthProcess berth = new BerthProcess("auth");

    private static final String WRONG_PASSWORD = "Wrong-Passw0rd";
    private static final Pattern PUSHED = Pattern.compile("digest: (sha256:[0-9a-f]{64}) size: (\\d+)");

    private static Path work;
    private static Path layout;
    private static Skopeo skopeo;
    private static Dockerd docker;
    private static TestImages.Image image;

    @BeforeAll
    static void start() throws IOException {
        work = E2e.tempDir("auth");
        skopeo = Skopeo.require(work);
        layout = work.resolve("layout");
        image = TestImages.singleArch(layout, "v1", 606, 2, 256 * 1024, "amd64");
        skopeo.ok("copy", "oci:" + layout + ":v1", "docker-archive:" + work.resolve("image.tar") + ":berth-e2e/auth:v1");
        docker = Dockerd.start(berth.hostPort(), E2e.logDir().resolve("auth-dockerd.log"));
    }

    @AfterAll
    static void stop() {
        try {
            if (docker != null) {
                docker.close();
            }
        } finally {
            E2e.deleteTree(work);
        }
    }

    /**
     * The protocol the clients below rely on: {@code GET /v2/} without credentials is challenged to
     * the token service; Basic credentials are taken directly; the token service issues tokens for
     * {@code GET} with Basic and for the OAuth2 form (password grant with a refresh token, then the
     * refresh-token grant); a private repository refuses anonymous callers, and an anonymous token
     * grants nothing in it.
     */
    @Test
    @Order(1)
    void challengeBasicAndTokens() {
        V2Client anonymous = V2Client.anonymous(berth.registry());
        HttpResponse<byte[]> base = anonymous.send(anonymous.request("/v2/").GET().build());
        assertEquals(401, base.statusCode());
        assertEquals("Bearer realm=\"http://" + berth.hostPort() + "/service/token\",service=\"berth\"",
                base.headers().firstValue("WWW-Authenticate").orElse(null));
        assertEquals("UNAUTHORIZED", V2Client.parse(base.body()).path("errors").get(0).path("code").asText());

        V2Client basic = V2Client.withBasic(berth.registry(), BerthProcess.ADMIN_USER, berth.adminPassword());
        assertEquals(200, basic.send(basic.request("/v2/").GET().build()).statusCode(), "GET /v2/ with Basic");
        V2Client wrong = V2Client.withBasic(berth.registry(), BerthProcess.ADMIN_USER, WRONG_PASSWORD);
        HttpResponse<byte[]> refused = wrong.send(wrong.request("/v2/").GET().build());
        assertEquals(401, refused.statusCode(), "GET /v2/ with a wrong password");
        assertFalse(new String(refused.body(), StandardCharsets.UTF_8).contains(WRONG_PASSWORD), "the refusal never repeats the password");

        // The token flow, as docker does it: challenged, GET /service/token with Basic, again with Bearer.
        V2Client tokens = berth.v2();
        byte[] content = "a blob pushed with a token".getBytes(StandardCharsets.UTF_8);
        String digest = tokens.pushBlob("auth/plain", content);
        tokens.assertBlob("auth/plain", digest);
        assertTrue(tokens.tokenFetches() >= 1, "the client fetched its token from the token service");

        // The push created the project "auth", private: nothing in it for anonymous callers...
        HttpResponse<byte[]> anonymousBlob = anonymous.send(anonymous.request("/v2/auth/plain/blobs/" + digest).GET().build());
        assertEquals(401, anonymousBlob.statusCode());
        Map<String, String> challenge = V2Client.bearerChallenge(anonymousBlob).orElseThrow();
        assertEquals("repository:auth/plain:pull", challenge.get("scope"));
        // ...not even with the token the service gives them (it grants no scope they do not hold).
        HttpResponse<byte[]> anonymousToken = anonymous.send(anonymous.request("/service/token?service=berth&scope="
                + URLEncoder.encode("repository:auth/plain:pull", StandardCharsets.UTF_8)).GET().build());
        assertEquals(200, anonymousToken.statusCode(), () -> new String(anonymousToken.body(), StandardCharsets.UTF_8));
        String useless = V2Client.parse(anonymousToken.body()).path("token").asText();
        assertEquals(401, anonymous.send(anonymous.request("/v2/auth/plain/blobs/" + digest)
                .header("Authorization", "Bearer " + useless).GET().build()).statusCode(), "an anonymous token grants no pull");

        // The OAuth2 form (containerd's): the password grant, offline, returns a refresh token too...
        String scope = "repository:auth/plain:pull";
        JsonNode password = postToken(anonymous, 200, "grant_type", "password", "username", BerthProcess.ADMIN_USER,
                "password", berth.adminPassword(), "service", "berth", "scope", scope, "access_type", "offline",
                "client_id", "berth-e2e");
        assertEquals(scope, password.path("scope").asText());
        assertTrue(password.path("expires_in").asLong() > 0, password.toString());
        String refreshToken = password.path("refresh_token").asText(null);
        assertNotNull(refreshToken, "an offline password grant returns a refresh token: " + password);
        assertEquals(200, bearerGet(anonymous, "/v2/auth/plain/blobs/" + digest, password.path("access_token").asText()));
        // ...which buys access tokens without the password; a wrong password buys nothing.
        JsonNode refreshed = postToken(anonymous, 200, "grant_type", "refresh_token", "refresh_token", refreshToken,
                "service", "berth", "scope", scope, "client_id", "berth-e2e");
        assertEquals(200, bearerGet(anonymous, "/v2/auth/plain/blobs/" + digest, refreshed.path("access_token").asText()));
        assertEquals(401, bearerGet(anonymous, "/v2/auth/plain/blobs/" + digest, refreshToken), "a refresh token is no access token");
        postToken(anonymous, 401, "grant_type", "password", "username", BerthProcess.ADMIN_USER, "password", WRONG_PASSWORD,
                "service", "berth", "scope", scope);
    }

    @Test
    @Order(2)
    void dockerLoginWithAWrongPassword_fails() throws IOException {
        Proc.Result login = docker.login(berth.hostPort(), BerthProcess.ADMIN_USER, WRONG_PASSWORD);
        assertFalse(login.ok(), "docker login with a wrong password must fail: " + login.describe());
        System.out.println("docker login with a wrong password: exit " + login.exitCode() + ": " + login.stderr().strip());
        String said = (login.stdout() + login.stderr()).toLowerCase(Locale.ROOT);
        assertTrue(said.contains("unauthorized") || said.contains("401"), login.describe());
        assertFalse(Files.readString(docker.cliConfig()).contains(berth.hostPort()), "no credentials were stored");
    }

    /** Login, push into a new project (which creates it, private), pull by tag, logout; then the pull is refused. */
    @Test
    @Order(3)
    void dockerLoginPushPullLogout() throws IOException {
        String name = berth.hostPort() + "/auth/docker";
        String login = docker.login(berth.hostPort(), BerthProcess.ADMIN_USER, berth.adminPassword()).assertOk().stdout();
        assertTrue(login.contains("Login Succeeded"), login);
        assertTrue(Files.readString(docker.cliConfig()).contains(berth.hostPort()), "docker login stored the credentials");

        docker.ok("load", "-i", work.resolve("image.tar").toString());
        docker.ok("tag", "berth-e2e/auth:v1", name + ":v1");
        String pushed = docker.ok("push", name + ":v1").stdout();
        Matcher m = PUSHED.matcher(pushed);
        assertTrue(m.find(), pushed);
        String digest = m.group(1);

        removeLocalImages(name);
        String pulled = docker.ok("pull", name + ":v1").stdout();
        assertTrue(pulled.contains("Digest: " + digest), pulled);
        assertEquals(image.configDigest(), docker.ok("image", "inspect", "--format", "{{.Id}}", name + ":v1").stdout().trim());

        String logout = docker.logout(berth.hostPort()).stdout();
        assertTrue(logout.contains("Removing login credentials"), logout);
        assertFalse(Files.readString(docker.cliConfig()).contains(berth.hostPort()), "docker logout removed the credentials");

        removeLocalImages(name);
        Proc.Result afterLogout = docker.run("pull", name + ":v1");
        assertFalse(afterLogout.ok(), "a pull of a private image after docker logout must fail: " + afterLogout.describe());
        assertAuthError(afterLogout);
        assertFalse(docker.run("image", "inspect", name + ":v1").ok(), "nothing was pulled");
    }

    /** A private project's image, pushed by the admin, is refused to a docker that never signed in, and to skopeo and plain HTTP without credentials. */
    @Test
    @Order(4)
    void anonymousPullOfAPrivateProject_fails() {
        skopeo.ok("copy", "--dest-tls-verify=false", "--dest-creds", berth.adminCredentials(), "oci:" + layout + ":v1",
                "docker://" + berth.hostPort() + "/private/app:v1");
        assertEquals(200, berth.v2().manifest("private/app", "v1").status(), "the admin reads it");

        Proc.Result pull = docker.run("pull", berth.hostPort() + "/private/app:v1");
        assertFalse(pull.ok(), "an anonymous docker pull of a private project must fail: " + pull.describe());
        assertAuthError(pull);

        Proc.Result inspect = skopeo.run("inspect", "--raw", "--tls-verify=false", "docker://" + berth.hostPort() + "/private/app:v1");
        assertFalse(inspect.ok(), "an anonymous skopeo inspect must fail: " + inspect.describe());
        assertAuthError(inspect);

        V2Client anonymous = V2Client.anonymous(berth.registry());
        assertEquals(401, anonymous.manifest("private/app", "v1").status());
    }

    /** An anonymous push is refused and creates no project; only a signed-in push does. */
    @Test
    @Order(5)
    void anonymousPush_isRefusedAndCreatesNothing() {
        Proc.Result push = skopeo.run("copy", "--dest-tls-verify=false", "oci:" + layout + ":v1",
                "docker://" + berth.hostPort() + "/anonymous/app:v1");
        assertFalse(push.ok(), "an anonymous push must fail: " + push.describe());
        assertAuthError(push);

        V2Client admin = berth.v2();
        assertEquals(404, admin.manifest("anonymous/app", "v1").status(), "nothing was pushed");
        List<String> repositories = new ArrayList<>();
        admin.json("/v2/_catalog?n=1000").path("repositories").forEach(r -> repositories.add(r.asText()));
        assertFalse(repositories.stream().anyMatch(r -> r.startsWith("anonymous/")), "catalog " + repositories);
        assertTrue(repositories.contains("private/app"), "catalog " + repositories);
    }

    /** podman login into an auth file of this test, push, pull into an empty store; after logout the pull is refused. */
    @Test
    @Order(6)
    void podmanLoginPushPull() {
        try (Podman podman = Podman.require(work.resolve("podman"))) {
            String name = berth.hostPort() + "/auth/podman";
            String imageId = image.configDigest().substring("sha256:".length());
            String login = podman.login(berth.hostPort(), BerthProcess.ADMIN_USER, berth.adminPassword()).assertOk().stdout();
            assertTrue(login.contains("Login Succeeded"), login);

            podman.ok("source", "pull", "oci:" + layout + ":v1");
            podman.ok("source", "tag", imageId, name + ":v1");
            Path digestFile = work.resolve("podman-pushed.digest");
            podman.ok("source", "push", "--tls-verify=false", "--digestfile", digestFile.toString(), name + ":v1");
            String pushed = Files.readString(digestFile).trim();
            assertEquals(200, berth.v2().manifest("auth/podman", pushed).status());

            podman.ok("pulled", "pull", "--tls-verify=false", name + ":v1");
            assertEquals(imageId + " " + pushed, podman.ok("pulled", "image", "inspect", "--format", "{{.Id}} {{.Digest}}",
                    name + ":v1").stdout().trim());

            podman.logout(berth.hostPort());
            Proc.Result afterLogout = podman.run("refused", null, "pull", "--tls-verify=false", name + ":v1");
            assertFalse(afterLogout.ok(), "a pull after podman logout must fail: " + afterLogout.describe());
            assertAuthError(afterLogout);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** skopeo signs in with --dest-creds to push and --creds to inspect; without or with wrong credentials it is refused. */
    @Test
    @Order(7)
    void skopeoWithCredentials() {
        String ref = "docker://" + berth.hostPort() + "/auth/skopeo:v1";
        skopeo.ok("copy", "--dest-tls-verify=false", "--dest-creds", berth.adminCredentials(), "oci:" + layout + ":v1", ref);
        JsonNode inspected = V2Client.parse(skopeo.ok("inspect", "--tls-verify=false", "--creds", berth.adminCredentials(), ref)
                .stdout().getBytes(StandardCharsets.UTF_8));
        assertEquals(image.manifestDigest(), inspected.path("Digest").asText(), inspected.toString());
        assertEquals(image.layerDigests().size(), inspected.path("Layers").size(), inspected.toString());

        Proc.Result wrong = skopeo.run("inspect", "--tls-verify=false", "--creds", BerthProcess.ADMIN_USER + ":" + WRONG_PASSWORD, ref);
        assertFalse(wrong.ok(), "skopeo inspect with a wrong password must fail: " + wrong.describe());
        assertAuthError(wrong);
        Proc.Result none = skopeo.run("inspect", "--tls-verify=false", ref);
        assertFalse(none.ok(), "skopeo inspect without credentials must fail: " + none.describe());
        assertAuthError(none);
    }

    /**
     * containerd's {@code ctr images pull --user}: with a secret it asks the token service with the
     * OAuth2 form ({@code POST /service/token}, grant_type=password), which the registry's request
     * metrics show; without credentials the pull is refused.
     */
    @Test
    @Order(8)
    void containerdPullsWithTheOAuth2PasswordGrant() {
        skopeo.ok("copy", "--dest-tls-verify=false", "--dest-creds", berth.adminCredentials(), "oci:" + layout + ":v1",
                "docker://" + berth.hostPort() + "/auth/containerd:v1");
        String ref = berth.hostPort() + "/auth/containerd:v1";
        try (Containerd containerd = Containerd.start(E2e.logDir().resolve("auth-containerd.log"))) {
            Proc.Result anonymous = containerd.run("images", "pull", "--plain-http", "--snapshotter", "native", ref);
            assertFalse(anonymous.ok(), "ctr pull without credentials must fail: " + anonymous.describe());
            assertAuthError(anonymous);

            long postsBefore = berth.requestCount("token.post");
            containerd.ok("images", "pull", "--plain-http", "--snapshotter", "native", "--user", berth.adminCredentials(), ref);
            long posts = berth.requestCount("token.post") - postsBefore;
            System.out.println("POST /service/token requests during ctr pull --user: " + posts);
            assertTrue(posts >= 1, "containerd fetched its token with POST /service/token (" + posts + " POSTs)");

            String listed = containerd.ok("images", "ls").stdout();
            assertTrue(listed.contains(ref) && listed.contains(image.manifestDigest()), listed);
            String check = containerd.ok("images", "check", "name==" + ref).stdout();
            assertTrue(check.contains("complete"), check);
        }
    }

    private static void removeLocalImages(String name) {
        for (String ref : List.of(name + ":v1", "berth-e2e/auth:v1")) {
            docker.run("rmi", "-f", ref);
        }
        assertFalse(docker.run("image", "inspect", image.configDigest()).ok(), "the image is gone before the pull");
    }

    /** The client said why: the registry wants credentials or refused them. */
    private static void assertAuthError(Proc.Result result) {
        List<String> command = result.command();
        System.out.println("refused (exit " + result.exitCode() + "): ... " + String.join(" ",
                command.subList(Math.max(0, command.size() - 3), command.size())) + "\n    " + Proc.tail(result.stderr().strip(), 2));
        String said = (result.stdout() + "\n" + result.stderr()).toLowerCase(Locale.ROOT);
        assertTrue(said.contains("unauthorized") || said.contains("denied") || said.contains("authentication required")
                || said.contains("insufficient_scope") || said.contains("401"), "not an auth error: " + result.describe());
    }

    /** {@code POST /service/token} with a form; expects {@code status} and returns the JSON answer. */
    private static JsonNode postToken(V2Client client, int status, String... fields) {
        StringBuilder form = new StringBuilder();
        for (int i = 0; i < fields.length; i += 2) {
            form.append(i == 0 ? "" : "&").append(fields[i]).append('=')
                    .append(URLEncoder.encode(fields[i + 1], StandardCharsets.UTF_8));
        }
        HttpResponse<byte[]> r = client.send(client.request("/service/token")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build());
        assertEquals(status, r.statusCode(), () -> "POST /service/token: " + new String(r.body(), StandardCharsets.UTF_8));
        return V2Client.parse(r.body());
    }

    private static int bearerGet(V2Client client, String path, String token) {
        return client.send(client.request(path).header("Authorization", "Bearer " + token).GET().build()).statusCode();
    }
}
