package io.berth.admin.e2e;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code ./berth server} prints until it is ready: the "is ready" block with addresses to
 * paste, and nothing else (no logback status lines, no warnings, no framework chatter).
 */
class StartScreenIT {
    private static final Pattern REQUEST_LOG = Pattern.compile("^\\S+ - \\S+ \\[[^]]+] \"GET ");

    @Test
    void firstScreen_isTheReadyBlockAlone() throws Exception {
        List<String> screen;
        try (BerthProcess berth = new BerthProcess("start-screen")) {
            berth.start();
            screen = Files.readAllLines(berth.logFile()).stream()
                    .filter(line -> !line.startsWith("===="))       // BerthProcess's own notes
                    .filter(line -> !line.startsWith("berth: building")) // ./berth builds a stale jar first
                    .toList();
            String all = String.join("\n", screen);
            assertTrue(all.contains("Berth ") && all.contains(" is ready"), all);
            assertTrue(all.contains("registry   http://" + berth.hostPort() + "   docker push " + berth.hostPort()
                    + "/<project>/<image>:<tag>"), all);
            assertTrue(all.contains("admin API  " + berth.admin() + "/api/v1"), all);
            assertTrue(all.contains("health     " + berth.admin() + "/admin/healthcheck"), all);
            assertTrue(all.contains("ops        http://127.0.0.1:"), all);
        }
        List<String> unexpected = screen.stream()
                .takeWhile(line -> !line.contains(" is ready"))
                .filter(line -> !line.isBlank() && !line.startsWith("\u001b[0m")) // Maven's colour resets
                .filter(line -> !REQUEST_LOG.matcher(line).find()) // the readiness probes, racing the banner
                .toList();
        assertEquals(List.of(), unexpected, "lines before the ready block");
    }
}
