package io.berth.admin.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code ./berth server} sizes the real server's JVM from BERTH_HEAP and BERTH_DIRECT_MEMORY, and
 * a size the user gives in JAVA_TOOL_OPTIONS wins over them (conf/jvm.options sizes nothing).
 * Read back from the running JVM with {@code jcmd <pid> VM.flags} and from /admin/metrics.
 */
class HeapSizingIT {
    private static final Pattern FLAG = Pattern.compile("-XX:(MaxHeapSize|MaxDirectMemorySize)=(\\d+)");

    @Test
    void berthHeapAndDirectMemory_sizeTheServer() throws Exception {
        try (BerthProcess berth = new BerthProcess("heap-berth-vars")
                .withEnv("BERTH_HEAP", "512m").withEnv("BERTH_DIRECT_MEMORY", "300m")) {
            berth.start();
            assertEquals(Map.of("MaxHeapSize", 512L << 20, "MaxDirectMemorySize", 300L << 20), vmFlags(berth));
            assertEquals(512L << 20, heapMaxFromMetrics(berth));
        }
    }

    @Test
    void sizesInJavaToolOptions_winOverTheDefaultsAndBerthHeap() throws Exception {
        try (BerthProcess berth = new BerthProcess("heap-tool-options").withEnv("BERTH_HEAP", "512m")
                .withEnv("JAVA_TOOL_OPTIONS", "-Xmx700m -XX:MaxDirectMemorySize=200m")) {
            berth.start();
            assertEquals(Map.of("MaxHeapSize", 700L << 20, "MaxDirectMemorySize", 200L << 20), vmFlags(berth));
            assertEquals(700L << 20, heapMaxFromMetrics(berth));
        }
    }

    private static Map<String, Long> vmFlags(BerthProcess berth) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        assumeTrue(Files.isExecutable(jcmd), "SKIPPED: no jcmd in " + System.getProperty("java.home"));
        String out = Proc.ok(List.of(jcmd.toString(), Long.toString(berth.pid()), "VM.flags"), Map.of()).stdout();
        Map<String, Long> flags = new HashMap<>();
        Matcher m = FLAG.matcher(out);
        while (m.find()) {
            flags.put(m.group(1), Long.parseLong(m.group(2)));
        }
        return flags;
    }

    private static long heapMaxFromMetrics(BerthProcess berth) throws Exception {
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        berth.admin().resolve("/admin/metrics")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, metrics.statusCode(), metrics.body());
        return new ObjectMapper().readTree(metrics.body()).path("gauges").path("jvm.memory.heap.max").path("value").asLong();
    }
}
