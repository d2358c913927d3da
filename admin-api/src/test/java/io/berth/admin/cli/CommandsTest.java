package io.berth.admin.cli;

import io.berth.admin.BerthApplicationTest;
import io.berth.admin.api.ApiApp;
import io.berth.admin.api.ApiClient;
import io.berth.admin.api.FakeUpstreams;
import io.berth.store.upstream.Credential;
import io.berth.store.upstream.Upstream;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code berth user|project|robot|registry} in-process against the running application, through its admin
 * API: what they create signs in on the registry port; failures are one line {@code berth: …}.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class CommandsTest {
    private static final FakeUpstreams UPSTREAMS = new FakeUpstreams();
    private static final ApiApp APP = new ApiApp(UPSTREAMS);
    static final DropwizardAppExtension<?> EXTENSION = APP.extension;

    @Test
    void userAdd_createsAUser_whoSignsIn_andUserListShowsThem() {
        CommandLine.Run added = asAdmin().runWithInput("Alice-Pass-123\n", "user", "add", "alice", "--email",
                "alice@example.org");

        assertSucceeded(added);
        assertEquals("created user alice\n", added.out());
        assertEquals(200, v2(ApiClient.basic("alice", "Alice-Pass-123")));
        CommandLine.Run list = asAdmin().run("user", "list");
        assertSucceeded(list);
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith("alice ") && l.contains("alice@example.org")),
                list.toString());
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith("admin ") && l.contains("sysadmin")), list.toString());
    }

    @Test
    void userPasswd_setsAnotherUsersPassword_andAUserChangesTheirOwnWithTheCurrentOne() {
        String bob = ApiApp.unique("bob");
        APP.user(bob);

        assertSucceeded(asAdmin().runWithInput("Bob-New-Pass-1\n", "user", "passwd", bob));
        assertEquals(401, v2(ApiClient.basic(bob, ApiApp.PASSWORD)));
        assertEquals(200, v2(ApiClient.basic(bob, "Bob-New-Pass-1")));

        CommandLine asBob = new CommandLine(Map.of("BERTH_URL", adminUrl(), "BERTH_USER", bob));
        CommandLine.Run own = asBob.runWithInput("Bob-New-Pass-1\nBob-Own-Pass-2\n", "user", "passwd", bob);
        assertSucceeded(own);
        assertEquals(200, v2(ApiClient.basic(bob, "Bob-Own-Pass-2")));
    }

    @Test
    void projectCreate_public_isListedAsPublic_andARobotOfIt_signsInWithThePrintedSecret() {
        assertSucceeded(asAdmin().run("project", "create", "team", "--public"));
        CommandLine.Run list = asAdmin().run("project", "list");
        assertTrue(list.out().lines().anyMatch(l -> l.matches("team +public +0 repositories")), list.toString());

        CommandLine.Run robot = asAdmin().run("robot", "create", "ci", "--project", "team", "--permission",
                "team:pull,push");

        assertSucceeded(robot);
        Matcher secret = Pattern.compile("(?m)^secret: +(\\S+)$").matcher(robot.out());
        assertTrue(robot.out().startsWith("name:   robot$team+ci\n") && secret.find(), robot.toString());
        assertEquals(200, v2(ApiClient.basic("robot$team+ci", secret.group(1))));
    }

    @Test
    void registryAdd_withAPasswordFromStdin_createsAnEndpoint_whoseCredentialReachesTheUpstream() {
        CommandLine.Run added = asAdmin().runWithInput("Upstream-Pass-7\n", "registry", "add", "up", "--type", "v2",
                "--url", "http://127.0.0.1:5001/", "--url", "http://127.0.0.1:5002", "--insecure", "--username", "u",
                "--password-stdin");

        assertSucceeded(added);
        Matcher id = Pattern.compile("^created registry endpoint up \\(id (\\d+)\\) for http://127.0.0.1:5001"
                + " http://127.0.0.1:5002\n$").matcher(added.out());
        assertTrue(id.find(), added.toString());
        UPSTREAMS.answerOk(null);
        assertEquals(200, APP.admin().post("/api/v1/registries/" + id.group(1) + "/ping", null).status());
        assertEquals(new Credential.Basic("u", "Upstream-Pass-7"), UPSTREAMS.lastAsked().credential());
        assertTrue(UPSTREAMS.lastAsked().insecure());

        assertSucceeded(asAdmin().runWithInput("hub-token-1\n", "registry", "add", "hub", "--type", "docker-hub",
                "--token-stdin"));
        CommandLine.Run list = asAdmin().run("registry", "list");
        assertSucceeded(list);
        assertTrue(list.out().lines().anyMatch(l -> l.matches("\\d+ +up +v2 +http://127.0.0.1:5001 http://127.0.0.1:5002"
                + " \\(TLS not verified\\) +as u")), list.toString());
        assertTrue(list.out().lines().anyMatch(l -> l.matches("\\d+ +hub +docker-hub +https://registry-1.docker.io +as"
                + " token")), list.toString());
        assertFalse(list.out().contains("Upstream-Pass-7") || list.out().contains("hub-token-1"), list.toString());
    }

    @Test
    void registryAdd_takesTheAdminApisUrlAsApiUrl_sinceUrlNamesTheUpstream() throws IOException {
        String password = Files.readString(APP.data.resolve("initial-admin-password")).strip();
        CommandLine withoutBerthUrl = new CommandLine(Map.of("BERTH_ADMIN_PASSWORD", password));

        CommandLine.Run added = withoutBerthUrl.run("registry", "add", "quay", "--url", "https://quay.io",
                "--api-url", adminUrl());

        assertSucceeded(added);
        assertTrue(added.out().startsWith("created registry endpoint quay "), added.toString());
        assertSucceeded(withoutBerthUrl.run("registry", "list", "--url", adminUrl()));
    }

    @Test
    void registryPingAndRm_nameTheEndpointByName_andRmRefusesOneAProxyProjectUses() {
        assertSucceeded(asAdmin().run("registry", "add", "spare", "--url", "http://127.0.0.1:5003"));
        assertSucceeded(asAdmin().run("registry", "add", "busy", "--url", "http://127.0.0.1:5004"));
        long busy = APP.admin().get("/api/v1/registries?page_size=100").json().valueStream()
                .filter(r -> r.path("name").asText().equals("busy")).findFirst().orElseThrow().path("id").asLong();
        APP.admin().post("/api/v1/projects", "{\"name\":\"busy-mirror\",\"proxy\":{\"registryId\":" + busy + "}}");
        UPSTREAMS.answerOk(new Upstream.RateLimit(100, 76, 21600, "ratelimit-remaining"));

        CommandLine.Run ping = asAdmin().run("registry", "ping", "spare");

        assertSucceeded(ping);
        assertTrue(ping.out().matches("spare answered in \\d+ ms, 76 of 100 pulls left per 21600 s\n"), ping.toString());
        assertOneLineFailure(asAdmin().run("registry", "rm", "busy"), "busy-mirror");
        assertSucceeded(asAdmin().run("registry", "rm", "spare"));
        assertFalse(asAdmin().run("registry", "list").out().contains("spare"));
        assertOneLineFailure(asAdmin().run("registry", "rm", "spare"), "no registry endpoint named spare");
    }

    @Test
    void listings_showEveryPage() {
        for (int i = 0; i < 101; i++) {
            APP.admin().post("/api/v1/projects", ApiClient.json("name", ApiApp.unique("many")));
        }

        CommandLine.Run list = asAdmin().run("project", "list");

        assertSucceeded(list);
        assertTrue(list.out().lines().count() >= 101, list.toString());
    }

    @Test
    void theAdminPassword_isFoundInTheDataDirectory() {
        assertSucceeded(new CommandLine(Map.of("BERTH_URL", adminUrl(), "BERTH_DATA_DIR", APP.data.toString()))
                .run("project", "list"));
    }

    @Test
    void failures_printOneLine_andNoStackTrace() {
        String carol = ApiApp.unique("carol");
        assertSucceeded(asAdmin().runWithInput("Carol-Pass-1\n", "user", "add", carol));
        String dead = "http://127.0.0.1:" + BerthApplicationTest.freePort();

        assertOneLineFailure(asAdmin().runWithInput("Carol-Pass-1\n", "user", "add", carol), "exists already");
        assertOneLineFailure(asAdmin().runWithInput("weak\n", "user", "add", ApiApp.unique("dave")),
                "the password is too weak");
        assertOneLineFailure(asAdmin().run("user", "add", ApiApp.unique("erin")), "no password on standard input");
        assertOneLineFailure(new CommandLine(Map.of("BERTH_URL", dead, "BERTH_ADMIN_PASSWORD", "x")).run("user",
                "list"), "cannot reach Berth's admin API at " + dead);
        assertOneLineFailure(new CommandLine(Map.of("BERTH_URL", "127.0.0.1:8080", "BERTH_ADMIN_PASSWORD", "x"))
                .run("user", "list"), "not an http(s) URL");
        assertOneLineFailure(new CommandLine(Map.of("BERTH_URL", adminUrl(), "BERTH_ADMIN_PASSWORD",
                "Wrong-Pass-1")).run("project", "list"), "wrong user name or password");
        assertOneLineFailure(asAdmin().run("robot", "create", "x"), "needs at least one --permission");
        assertOneLineFailure(asAdmin().run("registry", "add", "x", "--password-stdin"), "--password-stdin needs"
                + " --username");
        assertOneLineFailure(asAdmin().run("registry", "add", "x", "--type", "docker-hub", "--token-stdin"),
                "no token on standard input");
        assertOneLineFailure(asAdmin().run("registry", "add", "x", "--url", "ftp://r.example.org"),
                "not an http:// or https:// URL");
    }

    private static void assertOneLineFailure(CommandLine.Run run, String saying) {
        assertTrue(run.failed(), run.toString());
        assertEquals("", run.out(), run.toString());
        assertEquals(1, run.err().lines().count(), run.toString());
        assertTrue(run.err().startsWith("berth: ") && run.err().contains(saying), run.toString());
        assertFalse(run.err().contains("Exception") || run.err().contains("\tat "), run.toString());
    }

    private static void assertSucceeded(CommandLine.Run run) {
        assertFalse(run.failed(), run.toString());
        assertEquals("", run.err(), run.toString());
    }

    private static CommandLine asAdmin() {
        try {
            String password = Files.readString(APP.data.resolve("initial-admin-password")).strip();
            return new CommandLine(Map.of("BERTH_URL", adminUrl(), "BERTH_ADMIN_PASSWORD", password));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String adminUrl() {
        return "http://127.0.0.1:" + EXTENSION.getLocalPort();
    }

    private static int v2(String authorization) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + APP.registryPort + "/v2/")).header("Authorization", authorization).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
