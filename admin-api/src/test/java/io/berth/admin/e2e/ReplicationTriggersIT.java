package io.berth.admin.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.admin.e2e.SmallImages.Pushed;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Replication triggers between two real Berth processes, each with its own data folder and embedded
 * database: A (the source, reconciling event-based policies every 10 s) pushes to B, registered at A
 * as a registry endpoint; what arrives is checked at B by digest (V2 API and {@code skopeo inspect --raw}).
 * <ol>
 *   <li>Event-based: a burst of 50 pushes with A killed (SIGKILL) after 20 and started again on the
 *       same data; every tag arrives, each one reported to an event-based execution (the 10 s
 *       reconcile would copy a lost one too, so arrival alone proves nothing about events), in far
 *       fewer executions than pushes, never two active at once.</li>
 *   <li>Reconcile: a push while the policy is disabled is an event the consumer ignores; once the
 *       policy is enabled the image arrives through a run of trigger {@code scheduled} (as the
 *       reconcile's runs are stored) and the policy never had an event-based execution.</li>
 *   <li>Deletion: a manifest deleted by digest and a tag deleted at A go from B when the policy
 *       replicates deletions; with a policy that does not, the deleted image stays at B.</li>
 *   <li>Scheduled: a policy with cron {@code 0 * * * * *}, created first, has fired and copied by the end.</li>
 * </ol>
 * Both servers hash passwords at bcrypt cost 4 ({@code -Ddw.auth.passwordCost=4}): the waits poll the
 * admin API, which signs in with Basic on every call, and on a loaded 2-core machine cost 12 starves the
 * replication itself.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicationTriggersIT {
    /** bcrypt cost 4 (as the unit tests use): every admin API poll signs in with Basic, at cost 12 a quarter second of CPU. */
    private static final String CHEAP_PASSWORDS = "-Ddw.auth.passwordCost=4";
    @RegisterExtension
    static final BerthProcess a = new BerthProcess("triggers-a").withEnv("BERTH_REPLICATION_RECONCILE_INTERVAL", "10s")
            .withEnv("BERTH_JAVA_OPTS", CHEAP_PASSWORDS);
    @RegisterExtension
    static final BerthProcess b = new BerthProcess("triggers-b").withEnv("BERTH_JAVA_OPTS", CHEAP_PASSWORDS);

    private static final int BURST = 50;
    private static final int KILL_AFTER = 20;
    private static final int PUSHERS = 5;
    private static final String EVENT_BASED = "{\"type\":\"event_based\"}";

    private static Path scratch;
    private static Skopeo skopeo;
    private static long endpoint;
    private static long burstPolicy;
    private static long healPolicy;
    private static long deletingPolicy;
    private static long keepingPolicy;
    private static long scheduledPolicy;
    private static Pushed scheduledImage;
    private static Instant scheduledCreated;

    @BeforeAll
    static void policies() {
        scratch = E2e.tempDir("triggers-skopeo");
        skopeo = Skopeo.require(scratch);
        endpoint = ReplicationApiCalls.registerBerth(a, "site-b", b);
        // the scheduled policy first, so that its minute passes while the other tests run
        scheduledImage = SmallImages.push(a.v2(), "sched/app", "1", 900);
        scheduledPolicy = ReplicationApiCalls.createPolicy(a, "every-minute", endpoint, "sched/**",
                "{\"type\":\"scheduled\",\"cron\":\"0 * * * * *\"}", false, true);
        scheduledCreated = Instant.now();
        burstPolicy = ReplicationApiCalls.createPolicy(a, "burst", endpoint, "burst/**", EVENT_BASED, false, true);
        healPolicy = ReplicationApiCalls.createPolicy(a, "heal", endpoint, "heal/**", EVENT_BASED, false, false);
        deletingPolicy = ReplicationApiCalls.createPolicy(a, "deleting", endpoint, "del-on/**", EVENT_BASED, true, true);
        keepingPolicy = ReplicationApiCalls.createPolicy(a, "keeping", endpoint, "del-off/**", EVENT_BASED, false, true);
    }

    @AfterAll
    static void cleanUp() {
        E2e.deleteTree(scratch);
    }

    @Test
    @Order(1)
    void eventBased_burstOf50PushesWithAKillInTheMiddle_everyTagArrivesThroughFoldedExecutions() throws Exception {
        Map<Integer, Pushed> pushed = new ConcurrentHashMap<>();
        try (ActiveExecutionWatch watch = new ActiveExecutionWatch(a, burstPolicy)) {
            AtomicInteger next = new AtomicInteger();
            AtomicBoolean killed = new AtomicBoolean();
            CountDownLatch enough = new CountDownLatch(KILL_AFTER);
            ConcurrentLinkedQueue<Throwable> failuresBeforeKill = new ConcurrentLinkedQueue<>();
            V2Client beforeKill = a.v2();
            List<Thread> pushers = new ArrayList<>();
            for (int p = 0; p < PUSHERS; p++) {
                pushers.add(Thread.ofPlatform().daemon().name("pusher-" + p).start(() -> {
                    int i;
                    while (!killed.get() && (i = next.getAndIncrement()) < BURST) {
                        try {
                            pushed.put(i, pushBurstImage(beforeKill, i));
                            enough.countDown();
                        } catch (Throwable t) {
                            if (!killed.get()) {
                                failuresBeforeKill.add(t);
                                while (enough.getCount() > 0) {
                                    enough.countDown();
                                }
                            }
                            return;
                        }
                    }
                }));
            }
            assertTrue(enough.await(3, TimeUnit.MINUTES), "20 pushes did not complete");
            killed.set(true);
            a.kill();
            for (Thread t : pushers) {
                t.join(TimeUnit.MINUTES.toMillis(2));
                assertFalse(t.isAlive(), t.getName() + " is stuck");
            }
            assertEquals(List.of(), List.copyOf(failuresBeforeKill), "pushes that failed before the kill");
            System.out.println("pushes acknowledged before the kill: " + pushed.size());

            a.start();
            V2Client afterRestart = a.v2();
            List<Integer> rest = new ArrayList<>();
            for (int i = 0; i < BURST; i++) {
                if (!pushed.containsKey(i)) {
                    rest.add(i);
                }
            }
            rest.parallelStream().forEach(i -> pushed.put(i, pushBurstImage(afterRestart, i)));
            assertEquals(BURST, pushed.size());

            List<Pushed> all = List.copyOf(pushed.values());
            awaitAtB(all, Duration.ofMinutes(3));
            Set<String> wanted = new TreeSet<>(all.stream().map(Pushed::reference).toList());
            await("every burst tag in a task of an event-based execution", Duration.ofMinutes(1),
                    () -> reportedByEvents(burstPolicy).containsAll(wanted),
                    () -> "not in an event-based execution: " + missing(wanted, reportedByEvents(burstPolicy)));

            List<JsonNode> executions = ReplicationApiCalls.executions(a, burstPolicy);
            long eventBased = executions.stream().filter(e -> e.path("trigger").asText().equals("event_based")).count();
            System.out.println("burst policy: " + executions.size() + " executions, " + eventBased + " event-based; "
                    + watch.polls() + " polls (" + watch.failedPolls() + " while A was down): " + executions);
            assertTrue(eventBased >= 1 && eventBased <= BURST / 2, "50 pushes folded into " + eventBased
                    + " event-based executions: " + executions);
            assertTrue(watch.mostActive() <= 1, "two executions of one policy active at once: "
                    + watch.mostActiveListing());
            assertOneAtATime(executions);
            executions.stream().filter(e -> !e.path("endTime").isNull()).forEach(e -> assertEquals(0,
                    e.path("inProgress").asInt(), "an execution that ended has no task in progress: " + e));
        }
        for (Pushed image : List.of(pushed.get(0), pushed.get(KILL_AFTER - 1), pushed.get(KILL_AFTER),
                pushed.get(BURST - 1))) {
            assertSkopeoDigestAtB(image);
        }
    }

    @Test
    @Order(2)
    void reconcile_aPushWhileThePolicyWasDisabled_arrivesThroughAScheduledRunOnceEnabled() {
        Pushed missed = SmallImages.push(a.v2(), "heal/app", "1", 2000);
        // The events are read in order: once a later push reached another policy's event-based
        // execution, the consumer has passed this one, while the policy was disabled.
        Pushed later = SmallImages.push(a.v2(), "del-off/app", "after-missed", 2001);
        awaitReportedByEvents(keepingPolicy, later.reference());

        ReplicationApiCalls.setEnabled(a, healPolicy, true);

        awaitAtB(List.of(missed), Duration.ofMinutes(1));
        List<JsonNode> executions = ReplicationApiCalls.executions(a, healPolicy);
        assertTrue(executions.stream().allMatch(e -> e.path("trigger").asText().equals("scheduled")),
                "only the reconcile (stored as trigger scheduled) runs the policy; the event was missed: " + executions);
        assertTrue(executions.stream().anyMatch(e -> ReplicationApiCalls.tasks(a, e.path("id").asLong()).stream()
                        .anyMatch(t -> t.path("sourceResource").asText().equals(missed.reference())
                                && t.path("status").asText().equals("Succeeded"))),
                "a reconcile run copied " + missed.reference() + ": " + executions);
        assertSkopeoDigestAtB(missed);
    }

    @Test
    @Order(3)
    void deletion_replicatedByThePolicyThatSaysSo_keptByTheOtherOne() {
        V2Client v2 = a.v2();
        Pushed kept = SmallImages.push(v2, "del-on/app", "kept", 3000);
        Pushed byDigest = SmallImages.push(v2, "del-on/app", "deleted-by-digest", 3001);
        Pushed byTag = SmallImages.push(v2, "del-on/app", "deleted-by-tag", 3002);
        Pushed stays = SmallImages.push(v2, "del-off/app", "stays", 3003);
        awaitAtB(List.of(kept, byDigest, byTag, stays), Duration.ofMinutes(1));

        delete(v2, byDigest.repo(), byDigest.digest());
        delete(v2, byTag.repo(), byTag.tag());
        delete(v2, stays.repo(), stays.digest());

        V2Client atB = b.v2();
        await("the deletions at B", Duration.ofMinutes(1),
                () -> atB.manifest(byDigest.repo(), byDigest.digest()).status() == 404
                        && atB.manifest(byTag.repo(), byTag.tag()).status() == 404,
                () -> "still at B: " + byDigest.repo() + "@" + byDigest.digest() + " -> "
                        + atB.manifest(byDigest.repo(), byDigest.digest()).status() + ", " + byTag.reference() + " -> "
                        + atB.manifest(byTag.repo(), byTag.tag()).status());
        assertEquals(404, atB.manifest(byDigest.repo(), byDigest.tag()).status(), "its tag went with it");
        assertFalse(skopeoAtB(byTag.reference()).ok(), "skopeo finds no " + byTag.reference() + " at B");
        assertSkopeoDigestAtB(kept);

        // A later push through the keeping policy reached an execution: its deletion event was read, and ignored.
        Pushed later = SmallImages.push(v2, "del-off/app", "after-delete", 3004);
        awaitReportedByEvents(keepingPolicy, later.reference());
        assertSkopeoDigestAtB(stays);
    }

    @Test
    @Order(4)
    void scheduled_aPolicyFiringEveryMinute_hasFiredAndCopied() {
        await("a succeeded execution of the scheduled policy", Duration.ofSeconds(150).minus(
                        Duration.between(scheduledCreated, Instant.now())),
                () -> ReplicationApiCalls.executions(a, scheduledPolicy).stream()
                        .anyMatch(e -> e.path("status").asText().equals("Succeeded")),
                () -> "executions: " + ReplicationApiCalls.executions(a, scheduledPolicy));
        List<JsonNode> executions = ReplicationApiCalls.executions(a, scheduledPolicy);
        assertTrue(executions.stream().allMatch(e -> e.path("trigger").asText().equals("scheduled")),
                executions.toString());
        assertSkopeoDigestAtB(scheduledImage);
    }

    // ---- helpers -------------------------------------------------------------------------

    private static Pushed pushBurstImage(V2Client v2, int i) {
        return SmallImages.push(v2, "burst/app" + (i % 5), "t" + i, 1000 + i);
    }

    private static void delete(V2Client v2, String repo, String reference) {
        int status = v2.send(v2.request("/v2/" + repo + "/manifests/" + reference).DELETE().build()).statusCode();
        assertEquals(202, status, "DELETE " + repo + "/manifests/" + reference + " at A");
    }

    /** Waits until B serves every image with its digest. */
    private static void awaitAtB(List<Pushed> images, Duration timeout) {
        V2Client atB = b.v2();
        Set<Pushed> missing = ConcurrentHashMap.newKeySet();
        missing.addAll(images);
        await(images.size() + " images at B", timeout, () -> {
            missing.removeIf(p -> p.digest().equals(atB.manifest(p.repo(), p.tag()).digest()));
            return missing.isEmpty();
        }, () -> "missing at B: " + missing.stream().map(Pushed::reference).sorted().toList());
    }

    /** The references in the tasks (done or skipped) of the policy's event-based executions. */
    private static Set<String> reportedByEvents(long policy) {
        Set<String> references = new HashSet<>();
        for (JsonNode execution : ReplicationApiCalls.executions(a, policy)) {
            if (execution.path("trigger").asText().equals("event_based")) {
                for (JsonNode task : ReplicationApiCalls.tasks(a, execution.path("id").asLong())) {
                    String status = task.path("status").asText();
                    if (status.equals("Succeeded") || status.equals("Skipped")) {
                        references.add(task.path("sourceResource").asText());
                    }
                }
            }
        }
        return references;
    }

    private static void awaitReportedByEvents(long policy, String reference) {
        await(reference + " in an event-based execution", Duration.ofMinutes(1),
                () -> reportedByEvents(policy).contains(reference),
                () -> "executions: " + ReplicationApiCalls.executions(a, policy));
    }

    private static List<String> missing(Set<String> wanted, Set<String> have) {
        return wanted.stream().filter(w -> !have.contains(w)).toList();
    }

    /** Each execution was created after the one before it had ended: never two active at once. */
    private static void assertOneAtATime(List<JsonNode> executions) {
        List<JsonNode> oldestFirst = new ArrayList<>(executions);
        oldestFirst.sort(Comparator.comparing(e -> e.path("id").asLong()));
        for (int i = 1; i < oldestFirst.size(); i++) {
            JsonNode before = oldestFirst.get(i - 1);
            JsonNode after = oldestFirst.get(i);
            assertFalse(before.path("endTime").isNull() || before.path("endTime").isMissingNode(),
                    "execution " + before + " has not ended, yet " + after + " was created");
            Instant ended = Instant.parse(before.path("endTime").asText());
            Instant created = Instant.parse(after.path("createdAt").asText());
            assertFalse(created.isBefore(ended), "execution " + after + " was created before " + before + " ended");
        }
    }

    private static Proc.Result skopeoAtB(String reference) {
        return skopeo.run("inspect", "--raw", "--tls-verify=false", "--creds", b.adminCredentials(),
                "docker://" + b.hostPort() + "/" + reference);
    }

    private static void assertSkopeoDigestAtB(Pushed image) {
        Proc.Result inspected = skopeoAtB(image.reference()).assertOk();
        assertEquals(image.digest(), E2e.sha256(inspected.stdout().getBytes(StandardCharsets.UTF_8)),
                "skopeo inspect --raw " + image.reference() + " at B");
    }

    private static void await(String what, Duration timeout, BooleanSupplier done, Supplier<String> state) {
        long until = System.nanoTime() + Math.max(0, timeout.toNanos());
        while (true) {
            if (done.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() > until) {
                fail(what + ": not within " + timeout + "; " + state.get());
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while waiting for " + what);
            }
        }
    }
}
