package io.berth.sync.execution;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.berth.store.Caller;
import io.berth.store.oci.Digest;
import io.berth.store.upstream.LocalDistribution;
import io.berth.store.upstream.RegistryClient;
import io.berth.sync.execution.SourceImages.Pushed;
import io.berth.sync.policy.Trigger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.moreThanOrExactly;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.berth.sync.execution.FaultBench.awaitEnd;
import static io.berth.sync.execution.FaultBench.log;
import static io.berth.sync.execution.FaultBench.run;
import static io.berth.sync.execution.FaultBench.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Executions whose source, a real CNCF Distribution, is reached through WireMock, which passes every
 * request on to it except those a test makes fail: a blob answered 503 every time (the task fails
 * after its retries, the status in its log, nothing tagged), a blob answered 503 twice and then
 * served (the task succeeds), a stop while a task waits out its retry backoff (it stops at once),
 * and a manifest whose bytes are not the digest its tag's {@code HEAD} gave (the task fails in its
 * first try without copying a blob or tagging anything).
 */
class SourceFaultsTest {
    private static final String BACKEND_DOWN = "{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"backend down\"}]}";

    private static LocalDistribution source;
    private static LocalDistribution destination;
    private static WireMockServer front;
    private static SourceImages images;
    private static RegistryClient dst;
    private static FaultBench bench;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("a"));
        Files.createDirectories(dir.resolve("b"));
        source = LocalDistribution.start(dir.resolve("a"), true, 1);
        destination = LocalDistribution.start(dir.resolve("b"), true, 2);
        images = new SourceImages(source.client());
        dst = destination.client();
        front = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        front.start();
        bench = new FaultBench();
    }

    @BeforeEach
    void passEverythingOn() {
        front.resetAll();
        front.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().proxiedFrom(source.url().toString())));
    }

    @AfterAll
    static void stop() throws Exception {
        if (bench != null) {
            bench.close();
        }
        if (front != null) {
            front.stop();
        }
        for (LocalDistribution registry : new LocalDistribution[]{source, destination}) {
            if (registry != null) {
                registry.close();
            }
        }
    }

    /** Executions through fresh clients (a circuit opened by one test's 503s is not the next one's). */
    private static Executions executions(Executions.Options options) {
        return bench.executions(bench.client("site-a", 1, URI.create(front.baseUrl())),
                bench.client("site-b", 2, destination.url()), options);
    }

    private static String blobPath(String repository, Digest blob) {
        return "/v2/" + repository + "/blobs/" + blob;
    }

    private static void failAlways(String path) {
        front.stubFor(get(urlPathEqualTo(path)).atPriority(1).willReturn(aResponse().withStatus(503)
                .withHeader("Content-Type", "application/json").withBody(BACKEND_DOWN)));
    }

    @Test
    void blobAnswered503EveryTime_failsTheTaskAfterItsRetries_withTheStatusInItsLog_andTagsNothing()
            throws Exception {
        Pushed image = images.image("down5xx/app", "v1", 51, 1, 100_000);
        String layer = blobPath("down5xx/app", image.layers().getFirst());
        failAlways(layer);
        Executions executions = executions(FaultBench.QUICK);

        Execution execution = run(executions, bench.policy("down5xx", "down5xx/**", 0));

        String log = log(executions, execution.id(), "down5xx/app");
        assertEquals(ExecutionStatus.FAILED, execution.status(), log);
        assertEquals("1 of 1 tasks failed: their logs say why", execution.error());
        ExecutionTask task = task(executions, execution.id(), "down5xx/app");
        assertEquals(TaskStatus.FAILED, task.status());
        assertEquals(3, task.attempts(), log);
        assertTrue(log.contains("503") && log.contains("upstream 'site-a'"), "the status and the source: " + log);
        front.verify(moreThanOrExactly(3), getRequestedFor(urlPathEqualTo(layer)));
        assertFalse(dst.headManifest("down5xx/app", "v1").isPresent());
        assertFalse(dst.headBlob("down5xx/app", image.layers().getFirst()).isPresent());
    }

    @Test
    void blobAnswered503Twice_thenServed_isCopied() throws Exception {
        Pushed image = images.image("flaky/app", "v1", 52, 1, 100_000);
        String layer = blobPath("flaky/app", image.layers().getFirst());
        front.stubFor(get(urlPathEqualTo(layer)).atPriority(1).inScenario("flaky").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(503).withBody(BACKEND_DOWN)).willSetStateTo("failed once"));
        front.stubFor(get(urlPathEqualTo(layer)).atPriority(1).inScenario("flaky").whenScenarioStateIs("failed once")
                .willReturn(aResponse().withStatus(503).withBody(BACKEND_DOWN)).willSetStateTo("recovered"));
        Executions executions = executions(FaultBench.QUICK);

        Execution execution = run(executions, bench.policy("flaky", "flaky/**", 0));

        String log = log(executions, execution.id(), "flaky/app");
        assertEquals(ExecutionStatus.SUCCEEDED, execution.status(), log);
        assertEquals(image.digest(), dst.headManifest("flaky/app", "v1").orElseThrow().digest());
        assertEquals(100_000, dst.headBlob("flaky/app", image.layers().getFirst()).orElseThrow());
        // Two 503s, then the bytes for the single-POST trial, which Distribution ignores (202), then for its PUT.
        front.verify(exactly(4), getRequestedFor(urlPathEqualTo(layer)));
    }

    @Test
    void stopWhileATaskWaitsToBeTriedAgain_stopsItAtOnce() throws Exception {
        Pushed image = images.image("backoff/app", "v1", 53, 1, 100_000);
        failAlways(blobPath("backoff/app", image.layers().getFirst()));
        Executions executions = executions(new Executions.Options(3, Duration.ofMinutes(10), Duration.ofSeconds(30),
                FaultBench.PUSH));
        long id = executions.start(bench.policy("backoff", "backoff/**", 0), Trigger.Type.MANUAL).id();
        FaultBench.await(() -> executions.store().tasks(id, 1, 10).items().stream()
                .anyMatch(t -> executions.store().log(id, t.id()).contains("trying again")), "a first failed try");

        executions.stop(id, Caller.system("test"));
        Execution stopped = awaitEnd(executions, id); // long before the ten-minute backoff is over

        assertEquals(ExecutionStatus.STOPPED, stopped.status());
        ExecutionTask task = task(executions, id, "backoff/app");
        assertEquals(TaskStatus.STOPPED, task.status());
        assertEquals(1, task.attempts());
        assertTrue(log(executions, id, "backoff/app").contains("stopped before it was tried again"));
        assertFalse(dst.headManifest("backoff/app", "v1").isPresent());
    }

    @Test
    void manifestWhoseBytesAreNotTheDigestItsTagGave_failsTheTaskAtOnce_andCopiesNothing() throws Exception {
        Pushed image = images.image("lying/app", "v1", 54, 1, 20_000);
        Pushed other = images.image("lying/other", "v1", 55, 1, 20_000);
        byte[] otherBytes = source.client().getManifest("lying/other", "v1", 1 << 20).orElseThrow().bytes();
        front.stubFor(get(urlPathEqualTo("/v2/lying/app/manifests/" + image.digest())).atPriority(1)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", SourceImages.MANIFEST)
                        .withHeader("Docker-Content-Digest", image.digest().toString()).withBody(otherBytes)));
        Executions executions = executions(FaultBench.QUICK);

        Execution execution = run(executions, bench.policy("lying", "lying/app", 0));

        String log = log(executions, execution.id(), "lying/app");
        assertEquals(ExecutionStatus.FAILED, execution.status(), log);
        ExecutionTask task = task(executions, execution.id(), "lying/app");
        assertEquals(TaskStatus.FAILED, task.status());
        assertEquals(1, task.attempts(), "wrong bytes are not tried again: " + log);
        assertTrue(log.contains(other.digest().toString()) && log.contains("wrong bytes"), log);
        assertFalse(dst.headManifest("lying/app", "v1").isPresent(), "nothing tagged");
        assertFalse(dst.headManifest("lying/app", image.digest().toString()).isPresent());
        assertFalse(dst.headManifest("lying/app", other.digest().toString()).isPresent());
        for (Digest layer : other.layers()) {
            assertFalse(dst.headBlob("lying/app", layer).isPresent(), "no blob of the wrong manifest copied");
        }
        assertTrue(new String(otherBytes, StandardCharsets.UTF_8).contains(other.layers().getFirst().toString()));
    }
}
