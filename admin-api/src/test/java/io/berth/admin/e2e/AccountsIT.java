package io.berth.admin.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.store.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.URI;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Accounts other than the admin, made through the admin API ({@code /api/v1}, Basic credentials of
 * the admin), used by real clients against the real server with authentication on: robot accounts
 * ({@code robot$<project>+<name>}) with pull only and with pull and push, and a disabled robot; a
 * project made public, which anonymous docker, podman and skopeo read but may not write; a user who
 * is a developer of one project, may not push into another user's private project and becomes the
 * project admin of a project his push creates. One server and one dockerd serve the class; every
 * test has its own repositories and restores the docker CLI's login state (signed out) at its end.
 */
class AccountsIT {
    @RegisterExtension
    static final BerthProcess berth = new BerthProcess("accounts");

    private static final String LOCAL = "berth-e2e/accounts:v1";
    private static final Pattern PUSHED = Pattern.compile("digest: (sha256:[0-9a-f]{64}) size: \\d+");

    private static Path work;
    private static Path layout;
    private static Skopeo skopeo;
    private static Dockerd docker;
    private static TestImages.Image image;

    @BeforeAll
    static void start() throws IOException {
        work = E2e.tempDir("accounts");
        skopeo = Skopeo.require(work);
        layout = work.resolve("layout");
        image = TestImages.singleArch(layout, "v1", 707, 2, 128 * 1024, "amd64");
        skopeo.ok("copy", "oci:" + layout + ":v1", "docker-archive:" + work.resolve("image.tar") + ":" + LOCAL);
        docker = Dockerd.start(berth.hostPort(), E2e.logDir().resolve("accounts-dockerd.log"));
        docker.ok("load", "-i", work.resolve("image.tar").toString());
        api("POST", "/api/v1/projects", "{\"name\":\"team\",\"public\":false}", 201);
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
     * {@code robot$team+puller} (pull in team) signs in with docker and pulls from team, but its push
     * into team is refused and uploads nothing; once disabled through the API, docker login with it fails.
     */
    @Test
    void robotWithPullOnly_pullsButMayNotPush_andCannotSignInOnceDisabled() {
        adminPush("team/robot-pull:v1");
        JsonNode robot = api("POST", "/api/v1/robots", "{\"name\":\"puller\",\"project\":\"team\",\"expiresInDays\":30,"
                + "\"permissions\":[{\"project\":\"team\",\"actions\":[\"pull\"]}]}", 201);
        assertEquals("robot$team+puller", robot.path("name").asText(), robot.toString());
        String secret = robot.path("secret").asText();
        assertFalse(secret.isEmpty(), robot.toString());
        try {
            String login = docker.login(berth.hostPort(), "robot$team+puller", secret).assertOk().stdout();
            assertTrue(login.contains("Login Succeeded"), login);

            String ref = berth.hostPort() + "/team/robot-pull:v1";
            String pulled = docker.ok("pull", ref).stdout();
            assertTrue(pulled.contains("Digest: " + image.manifestDigest()), pulled);
            assertEquals(image.configDigest(), docker.ok("image", "inspect", "--format", "{{.Id}}", ref).stdout().trim());

            String denied = berth.hostPort() + "/team/robot-denied:v1";
            docker.ok("tag", LOCAL, denied);
            Proc.Result push = docker.run("push", denied);
            assertFalse(push.ok(), "a pull-only robot's push must fail: " + push.describe());
            assertDeniedOrUnauthorized(push);
            assertEquals(404, berth.v2().manifest("team/robot-denied", "v1").status(), "nothing was pushed");

            docker.logout(berth.hostPort());
            api("PUT", "/api/v1/robots/" + robot.path("id").asLong(), "{\"disabled\":true}", 200);
            Proc.Result again = docker.login(berth.hostPort(), "robot$team+puller", secret);
            assertFalse(again.ok(), "docker login with a disabled robot must fail: " + again.describe());
            assertRefused(again);
        } finally {
            docker.logout(berth.hostPort());
        }
    }

    /** {@code robot$team+ci} (pull and push in team) pushes with skopeo {@code --dest-creds}. */
    @Test
    void robotWithPullAndPush_pushesWithSkopeo() {
        JsonNode robot = api("POST", "/api/v1/robots", "{\"name\":\"ci\",\"project\":\"team\",\"expiresInDays\":30,"
                + "\"permissions\":[{\"project\":\"team\",\"actions\":[\"pull\",\"push\"]}]}", 201);
        assertEquals("robot$team+ci", robot.path("name").asText(), robot.toString());
        String creds = "robot$team+ci:" + robot.path("secret").asText();
        skopeo.ok("copy", "--dest-tls-verify=false", "--dest-creds", creds, "oci:" + layout + ":v1",
                "docker://" + berth.hostPort() + "/team/robot-ci:v1");
        V2Client.Manifest pushed = berth.v2().manifest("team/robot-ci", "v1");
        assertEquals(200, pushed.status());
        assertEquals(image.manifestDigest(), pushed.digest());
    }

    /**
     * A project made public with {@code PUT /api/v1/projects/showcase} is read by a docker that is not
     * signed in, an anonymous podman and skopeo without credentials; an anonymous push into it is
     * still refused; the anonymous catalog lists its repository and not a private project's.
     */
    @Test
    void publicProject_isReadAnonymouslyButNotWritten() throws IOException {
        api("POST", "/api/v1/projects", "{\"name\":\"showcase\",\"public\":false}", 201);
        adminPush("showcase/app:v1");
        adminPush("hidden/app:v1");
        api("PUT", "/api/v1/projects/showcase", "{\"public\":true}", 200);

        docker.logout(berth.hostPort());
        assertFalse(Files.readString(docker.cliConfig()).contains(berth.hostPort()), "docker is not signed in");
        String ref = berth.hostPort() + "/showcase/app:v1";
        String pulled = docker.ok("pull", ref).stdout();
        assertTrue(pulled.contains("Digest: " + image.manifestDigest()), pulled);
        Proc.Result privatePull = docker.run("pull", berth.hostPort() + "/hidden/app:v1");
        assertFalse(privatePull.ok(), "an anonymous pull of a private project must fail: " + privatePull.describe());
        assertRefused(privatePull);

        try (Podman podman = Podman.require(work.resolve("podman-public"))) {
            Files.writeString(podman.authFile(), "{\"auths\":{}}"); // podman wants REGISTRY_AUTH_FILE to exist; no credentials in it
            podman.ok("anonymous", "pull", "--tls-verify=false", ref);
            assertEquals(image.configDigest(), "sha256:" + podman.ok("anonymous", "image", "inspect", "--format", "{{.Id}}",
                    ref).stdout().trim());
        }

        JsonNode inspected = V2Client.parse(skopeo.ok("inspect", "--tls-verify=false", "docker://" + ref)
                .stdout().getBytes(StandardCharsets.UTF_8));
        assertEquals(image.manifestDigest(), inspected.path("Digest").asText(), inspected.toString());

        Proc.Result push = skopeo.run("copy", "--dest-tls-verify=false", "oci:" + layout + ":v1",
                "docker://" + berth.hostPort() + "/showcase/anonymous:v1");
        assertFalse(push.ok(), "an anonymous push into a public project must fail: " + push.describe());
        assertRefused(push);
        assertEquals(404, berth.v2().manifest("showcase/anonymous", "v1").status(), "nothing was pushed");

        List<String> catalog = new ArrayList<>();
        anonymousJson("/v2/_catalog?n=1000").path("repositories").forEach(r -> catalog.add(r.asText()));
        assertTrue(catalog.contains("showcase/app"), "anonymous catalog " + catalog);
        assertTrue(catalog.stream().noneMatch(r -> r.startsWith("hidden/") || r.startsWith("team/")),
                "anonymous catalog " + catalog);
    }

    /**
     * A user made through the API and added to team as a developer pushes into team, is refused in
     * another user's private project, and a push into a new project creates it with him as its
     * project admin.
     */
    @Test
    void developer_pushesIntoHisProject_notIntoAnothers_andCreatesNewOnes() {
        api("POST", "/api/v1/users", "{\"username\":\"dana\",\"password\":\"Dana-Passw0rd-1\",\"email\":\"dana@example.com\"}", 201);
        api("POST", "/api/v1/users", "{\"username\":\"omar\",\"password\":\"Omar-Passw0rd-1\",\"email\":\"omar@example.com\"}", 201);
        api("POST", "/api/v1/projects/team/members", "{\"username\":\"dana\",\"role\":\"developer\"}", 201);
        skopeo.ok("copy", "--dest-tls-verify=false", "--dest-creds", "omar:Omar-Passw0rd-1", "oci:" + layout + ":v1",
                "docker://" + berth.hostPort() + "/omars/app:v1");
        assertTrue(members("omars").contains("omar=projectAdmin"), "omar's push created his project omars");

        try {
            String login = docker.login(berth.hostPort(), "dana", "Dana-Passw0rd-1").assertOk().stdout();
            assertTrue(login.contains("Login Succeeded"), login);

            String mine = berth.hostPort() + "/team/dana:v1";
            docker.ok("tag", LOCAL, mine);
            assertEquals(pushedDigest(docker.ok("push", mine)), berth.v2().manifest("team/dana", "v1").digest());

            String theirs = berth.hostPort() + "/omars/dana:v1";
            docker.ok("tag", LOCAL, theirs);
            Proc.Result refused = docker.run("push", theirs);
            assertFalse(refused.ok(), "a push into another user's private project must fail: " + refused.describe());
            assertDeniedOrUnauthorized(refused);
            assertEquals(404, berth.v2().manifest("omars/dana", "v1").status(), "nothing was pushed");

            String created = berth.hostPort() + "/danas/app:v1";
            docker.ok("tag", LOCAL, created);
            assertEquals(pushedDigest(docker.ok("push", created)), berth.v2().manifest("danas/app", "v1").digest());
            List<String> members = members("danas");
            assertTrue(members.contains("dana=projectAdmin"), "members of danas: " + members);
        } finally {
            docker.logout(berth.hostPort());
        }
    }

    /** The digest docker push printed (docker pushes its own image manifest, not the OCI layout's). */
    private static String pushedDigest(Proc.Result push) {
        Matcher m = PUSHED.matcher(push.stdout());
        assertTrue(m.find(), push.stdout());
        return m.group(1);
    }

    private static void adminPush(String repoAndTag) {
        skopeo.ok("copy", "--dest-tls-verify=false", "--dest-creds", berth.adminCredentials(), "oci:" + layout + ":v1",
                "docker://" + berth.hostPort() + "/" + repoAndTag);
    }

    /** {@code GET /api/v1/projects/<project>/members} as the admin, as {@code user=role}. */
    private static List<String> members(String project) {
        List<String> members = new ArrayList<>();
        api("GET", "/api/v1/projects/" + project + "/members", null, 200)
                .forEach(m -> members.add(m.path("username").asText() + "=" + m.path("role").asText()));
        return members;
    }

    /** The admin API as the admin (Basic); fails unless it answers {@code status}; returns the JSON body (or null when empty). */
    private static JsonNode api(String method, String path, String json, int status) {
        return AdminCalls.call(berth, method, path, json, status);
    }

    /** A GET without credentials, as an anonymous client does it: challenged, a token without Basic, again with Bearer. */
    private static JsonNode anonymousJson(String path) {
        V2Client anonymous = V2Client.anonymous(berth.registry());
        HttpResponse<byte[]> r = anonymous.send(anonymous.request(path).GET().build());
        if (r.statusCode() == 401) {
            Map<String, String> challenge = V2Client.bearerChallenge(r).orElseThrow(() -> new AssertionError("no challenge"));
            String query = "service=" + URLEncoder.encode(challenge.get("service"), StandardCharsets.UTF_8)
                    + (challenge.containsKey("scope") ? "&scope=" + URLEncoder.encode(challenge.get("scope"), StandardCharsets.UTF_8) : "");
            HttpResponse<byte[]> token = anonymous.send(HttpRequest.newBuilder(URI.create(challenge.get("realm") + "?" + query))
                    .GET().build());
            assertEquals(200, token.statusCode(), () -> "anonymous token: " + new String(token.body(), StandardCharsets.UTF_8));
            String bearer = V2Client.parse(token.body()).path("token").asText();
            r = anonymous.send(anonymous.request(path).header("Authorization", "Bearer " + bearer).GET().build());
        }
        HttpResponse<byte[]> answer = r;
        assertEquals(200, answer.statusCode(), () -> "anonymous GET " + path + ": " + new String(answer.body(), StandardCharsets.UTF_8));
        return V2Client.parse(answer.body());
    }

    /** A refused push: docker says "denied" or "unauthorized". */
    private static void assertDeniedOrUnauthorized(Proc.Result result) {
        assertRefused(result);
        String said = (result.stdout() + "\n" + result.stderr()).toLowerCase(Locale.ROOT);
        assertTrue(said.contains("denied") || said.contains("unauthorized"), "neither denied nor unauthorized: " + result.describe());
    }

    /** The client said why: the registry wants credentials or refused them. */
    private static void assertRefused(Proc.Result result) {
        System.out.println("refused (exit " + result.exitCode() + "): " + Proc.tail(result.stderr().strip(), 2));
        String said = (result.stdout() + "\n" + result.stderr()).toLowerCase(Locale.ROOT);
        assertTrue(said.contains("unauthorized") || said.contains("denied") || said.contains("authentication required")
                || said.contains("insufficient_scope") || said.contains("401") || said.contains("403"),
                "not an auth error: " + result.describe());
    }
}
