package io.berth.sync.execution;

import io.berth.store.meta.Admission;
import io.berth.store.meta.Database;
import io.berth.store.meta.Transactions;
import io.berth.store.testing.TestDatabases;
import io.berth.store.upstream.EndpointDraft;
import io.berth.store.upstream.PushOptions;
import io.berth.store.upstream.RegistryClient;
import io.berth.store.upstream.RegistryEndpoint;
import io.berth.store.upstream.RegistryEndpoints;
import io.berth.store.upstream.SecretBox;
import io.berth.store.upstream.UpstreamClients;
import io.berth.sync.filter.FilterType;
import io.berth.sync.filter.PolicyFilter;
import io.berth.sync.policy.Policies;
import io.berth.sync.policy.PolicyDraft;
import io.berth.sync.policy.Trigger;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * What the replication fault tests share: policies and executions on an H2 database, clients of
 * the two registries with short retries (and a circuit breaker that closes again within a second,
 * so a registry that is back is asked again at once), and waits for executions and their tasks.
 */
final class FaultBench implements AutoCloseable {
    /** 256 KiB chunks (blobs from 256 KiB on), two resumes of an upload 50 ms apart. */
    static final PushOptions PUSH = PushOptions.defaults().withChunks(256 * 1024, 256 * 1024)
            .withResumes(2, Duration.ofMillis(50));
    /** Three tries per task from a 100 ms backoff. */
    static final Executions.Options QUICK = new Executions.Options(3, Duration.ofMillis(100), Duration.ofSeconds(30),
            PUSH);
    private static final UpstreamClients.Options CLIENT = UpstreamClients.Options.defaults()
            .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(10))
            .withRetries(2, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(2))
            .withCircuit(10, 5, 50f, Duration.ofMillis(500), 1);

    private final Clock clock = Clock.systemUTC();
    private final Transactions tx = new Transactions(Database.open(TestDatabases.h2()), Admission.unbounded());
    private final Policies policies = new Policies(tx, clock);
    private final long sourceEndpoint;
    private final List<AutoCloseable> opened = new ArrayList<>();
    private int executionsMade;

    FaultBench() {
        sourceEndpoint = new RegistryEndpoints(tx, SecretBox.ofBase64(SecretBox.generateKey()), clock)
                .create(new EndpointDraft("site-a", RegistryEndpoint.Type.V2, List.of("http://127.0.0.1:1"),
                        false, null, null, null)).id();
    }

    /** A client of the registry at {@code url}, named {@code name} in its errors; closed with the bench. */
    RegistryClient client(String name, long id, URI url) {
        RegistryClient client = new RegistryClient(new RegistryEndpoint(id, name, RegistryEndpoint.Type.V2,
                List.of(url), false, null, null, null), CLIENT);
        opened.add(client);
        return client;
    }

    /** Executions from {@code source} into {@code destination} (every policy's), closed with the bench. */
    Executions executions(RegistryClient source, RegistryClient destination, Executions.Options options) {
        ReplicationEndpoints ends = policy -> new ReplicationEndpoints.Ends(
                new ReplicationEndpoints.Side(source.endpoint().name(), source, source.writer(), null),
                new ReplicationEndpoints.Side(destination.endpoint().name(), destination, destination.writer(), null));
        Executions executions = new Executions(new ExecutionStore(tx, clock, "faults-" + ++executionsMade), policies,
                ends, options, clock);
        opened.add(executions);
        return executions;
    }

    /** A manual pull policy copying the repositories {@code nameGlob} names, one artifact at a time. */
    long policy(String name, String nameGlob, long bandwidthLimitKiBps) {
        return policies.create(new PolicyDraft(name, null, sourceEndpoint, null,
                List.of(PolicyFilter.matching(FilterType.NAME, nameGlob)), Trigger.manual(), null, -1, true, false,
                true, bandwidthLimitKiBps, 1, true)).id();
    }

    /** Starts an execution of {@code policy} and waits for its end. */
    static Execution run(Executions executions, long policy) throws InterruptedException {
        return awaitEnd(executions, executions.start(policy, Trigger.Type.MANUAL).id());
    }

    /** Waits for the execution to end: a minute is far more than any fault test needs. */
    static Execution awaitEnd(Executions executions, long id) throws InterruptedException {
        await(() -> !executions.store().get(id).status().isActive(), "execution " + id + " to end");
        return executions.store().get(id);
    }

    /** The task of execution {@code id} that copies {@code sourceRepository}. */
    static ExecutionTask task(Executions executions, long id, String sourceRepository) {
        return executions.store().tasks(id, 1, 100).items().stream()
                .filter(t -> t.sourceRepository().equals(sourceRepository)).findFirst()
                .orElseThrow(() -> new AssertionError("execution " + id + " has no task for " + sourceRepository));
    }

    /** The log of that task. */
    static String log(Executions executions, long id, String sourceRepository) {
        return executions.store().log(id, task(executions, id, sourceRepository).id());
    }

    /** Waits up to a minute for {@code condition}. */
    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("waited a minute for " + what);
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable closeable : opened.reversed()) {
            closeable.close();
        }
    }
}
