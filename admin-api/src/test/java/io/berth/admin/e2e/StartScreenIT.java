package io.berth.admin.e2e;

import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code ./berth server} prints until it is ready: the "is ready" block with addresses to
 * paste and how to sign in, and nothing else (no logback status lines, no warnings, no framework
 * chatter). A first start without BERTH_ADMIN_PASSWORD shows the generated admin password once.
 */
class StartScreenIT {
    private static final Pattern REQUEST_LOG = Pattern.compile("^\\S+ - \\S+ \\[[^]]+] \"GET ");

    @Test
    void firstScreen_isTheReadyBlockAlone() throws Exception {
        List<String> screen;
        try (BerthProcess berth = new BerthProcess("start-screen")) {
            berth.start();
            screen = screen(berth);
            String all = String.join("\n", screen);
            assertTrue(all.contains("Berth ") && all.contains(" is ready"), all);
            assertTrue(all.contains("registry   http://" + berth.hostPort() + "   docker push " + berth.hostPort()
                    + "/<project>/<image>:<tag>"), all);
            assertTrue(all.contains("admin API  " + berth.admin() + "/api/v1"), all);
            assertTrue(all.contains("health     " + berth.admin() + "/admin/healthcheck"), all);
            assertTrue(all.contains("ops        http://127.0.0.1:"), all);
            assertTrue(all.contains("sign in    docker login " + berth.hostPort() + " -u admin   (password from"
                    + " BERTH_ADMIN_PASSWORD)"), all);
            assertFalse(all.contains(BerthProcess.ADMIN_PASSWORD), "the password from the environment is never printed");
        }
        List<String> unexpected = screen.stream()
                .takeWhile(line -> !line.contains(" is ready"))
                .filter(line -> !line.isBlank() && !line.startsWith("\u001b[0m")) // Maven's colour resets
                .filter(line -> !REQUEST_LOG.matcher(line).find()) // the readiness probes, racing the banner
                .toList();
        assertEquals(List.of(), unexpected, "lines before the ready block");
    }

    /**
     * Without BERTH_ADMIN_PASSWORD the first start generates the admin's password, shows it once in
     * the banner and writes it to data/initial-admin-password (owner only); it signs in. The next
     * start shows it no more.
     */
    @Test
    void generatedAdminPassword_isShownOnceAndWorks() throws Exception {
        try (BerthProcess berth = new BerthProcess("start-screen-generated").withEnv("BERTH_ADMIN_PASSWORD", "")) {
            berth.start();
            Path file = berth.dataDir().resolve("initial-admin-password");
            assertTrue(Files.isRegularFile(file), "the generated password is written to " + file);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            String password = berth.adminPassword();
            assertTrue(password.length() >= 16, "a long generated password: " + password.length() + " characters");

            String first = String.join("\n", screen(berth));
            assertTrue(first.contains("sign in    docker login " + berth.hostPort() + " -u admin"), first);
            assertTrue(first.contains("admin password (shown once, also in " + file + "): " + password), first);

            assertEquals(200, v2Status(berth, BerthProcess.ADMIN_USER + ":" + password), "GET /v2/ as admin");
            assertEquals(401, v2Status(berth, BerthProcess.ADMIN_USER + ":" + password + "x"), "GET /v2/ with a wrong password");

            berth.restart();
            String log = Files.readString(berth.logFile());
            String second = log.substring(log.indexOf("==== berth start #2"));
            assertTrue(second.contains(" is ready"), second);
            assertFalse(second.contains(password), "the second start does not show the password again:\n" + second);
            assertEquals(200, v2Status(berth, BerthProcess.ADMIN_USER + ":" + password), "the password holds after a restart");
        }
    }

    /** The log as a user sees it: without BerthProcess's own notes and the launcher's build line. */
    private static List<String> screen(BerthProcess berth) throws Exception {
        return Files.readAllLines(berth.logFile()).stream()
                .filter(line -> !line.startsWith("===="))       // BerthProcess's own notes
                .filter(line -> !line.startsWith("berth: building")) // ./berth builds a stale jar first
                .toList();
    }

    private static int v2Status(BerthProcess berth, String userAndPassword) {
        V2Client anonymous = V2Client.anonymous(berth.registry());
        HttpResponse<byte[]> r = anonymous.send(anonymous.request("/v2/").header("Authorization", "Basic "
                + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8))).GET().build());
        return r.statusCode();
    }
}
