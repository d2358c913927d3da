package io.berth.admin.scripts;

import io.berth.admin.e2e.E2e;
import io.berth.admin.e2e.Proc;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code scripts/jvm-memory-flags}, which ./berth, bench/run and the container entrypoint use to
 * size the JVM: BERTH_HEAP / BERTH_DIRECT_MEMORY with their defaults, and the user's own JVM
 * flags winning over both.
 */
class JvmMemoryFlagsTest {

    @Test
    void nothingSet_printsTheDefaults() {
        assertEquals(List.of("-Xmx384m", "-Xms64m", "-XX:MaxDirectMemorySize=256m"), lines(flags(Map.of())));
    }

    @Test
    void berthHeapAndDirectMemory_sizeTheJvm() {
        assertEquals(List.of("-Xmx2g", "-Xms64m", "-XX:MaxDirectMemorySize=1g"),
                lines(flags(Map.of("BERTH_HEAP", "2g", "BERTH_DIRECT_MEMORY", "1g"))));
    }

    @Test
    void heapBelowTheInitialSize_getsNoInitialSize() {
        assertEquals(List.of("-Xmx48m", "-XX:MaxDirectMemorySize=256m"), lines(flags(Map.of("BERTH_HEAP", "48m"))));
    }

    @Test
    void sizesInTheJvmsOwnVariables_winOverBerthVariables() {
        Proc.Result toolOptions = flags(Map.of("BERTH_HEAP", "1g", "JAVA_TOOL_OPTIONS", "-Dx=1 -Xmx3g"));
        assertEquals(List.of("-XX:MaxDirectMemorySize=256m"), lines(toolOptions));
        assertTrue(toolOptions.stderr().contains("BERTH_HEAP=1g ignored: the JVM options say -Xmx3g"), toolOptions.stderr());

        assertEquals(List.of("-Xmx384m", "-Xms64m"),
                lines(flags(Map.of("JDK_JAVA_OPTIONS", "-XX:MaxDirectMemorySize=1g"))));
        assertEquals(List.of("-XX:MaxDirectMemorySize=256m"),
                lines(flags(Map.of("BERTH_JAVA_OPTS", "-XX:MaxRAMPercentage=50"))));
        assertEquals(List.of("-Xmx384m", "-XX:MaxDirectMemorySize=256m"),
                lines(flags(Map.of("JAVA_TOOL_OPTIONS", "-Xms128m"))));
    }

    @Test
    void flagsGivenAsArguments_winToo() {
        assertEquals(List.of("-Xmx384m", "-Xms64m"), lines(flags(Map.of(), "-XX:MaxDirectMemorySize=2g")));
    }

    @Test
    void notASize_failsWithAMessage() {
        Proc.Result result = flags(Map.of("BERTH_HEAP", "lots"));
        assertEquals(2, result.exitCode());
        assertEquals("", result.stdout());
        assertTrue(result.stderr().contains("BERTH_HEAP=lots is not a size"), result.stderr());
        assertEquals(2, flags(Map.of("BERTH_DIRECT_MEMORY", "1.5g")).exitCode());
    }

    private static List<String> lines(Proc.Result result) {
        return result.stdout().lines().toList();
    }

    /** Runs the script with exactly these memory-related variables set (the others emptied). */
    private static Proc.Result flags(Map<String, String> vars, String... args) {
        Map<String, String> env = new HashMap<>();
        for (String name : List.of("BERTH_HEAP", "BERTH_DIRECT_MEMORY", "BERTH_JAVA_OPTS", "JAVA_TOOL_OPTIONS",
                "JDK_JAVA_OPTIONS")) {
            env.put(name, "");
        }
        env.putAll(vars);
        List<String> command = new ArrayList<>(List.of(E2e.repoRoot().resolve("scripts/jvm-memory-flags").toString()));
        command.addAll(List.of(args));
        return Proc.run(command, env, Duration.ofSeconds(30));
    }
}
