package io.berth.sync.trigger;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.meta.Admission;
import io.berth.store.meta.Database;
import io.berth.store.meta.Transactions;
import io.berth.store.upstream.EndpointDraft;
import io.berth.store.upstream.PushOptions;
import io.berth.store.upstream.RegistryEndpoint;
import io.berth.store.upstream.RegistryEndpoints;
import io.berth.store.upstream.SecretBox;
import io.berth.sync.execution.Execution;
import io.berth.sync.execution.ExecutionStore;
import io.berth.sync.execution.Executions;
import io.berth.sync.filter.PolicyFilter;
import io.berth.sync.policy.Policies;
import io.berth.sync.policy.PolicyDraft;
import io.berth.sync.policy.Trigger;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * One Berth instance's replication side over a test database, for trigger tests: policies, a
 * remote endpoint, and executions whose endpoints wait for {@link #release} and then fail (the
 * source "cannot be listed"), so that a test holds an execution active as long as it needs.
 */
final class TriggerFixture implements AutoCloseable {
    final Transactions tx;
    final Policies policies;
    final TriggerStore store;
    final Executions executions;
    final long remote;
    private final CountDownLatch gate = new CountDownLatch(1);

    TriggerFixture(DataSource dataSource, String instance) {
        Clock clock = Clock.systemUTC();
        tx = new Transactions(Database.open(dataSource), Admission.unbounded());
        policies = new Policies(tx, clock);
        store = new TriggerStore(tx, clock);
        RegistryEndpoints endpoints = new RegistryEndpoints(tx, SecretBox.ofBase64(SecretBox.generateKey()), clock);
        remote = endpoints.list(1, 100).items().stream().filter(e -> e.name().equals("site-b")).findFirst()
                .map(RegistryEndpoint::id).orElseGet(() -> endpoints.create(new EndpointDraft("site-b",
                        RegistryEndpoint.Type.V2, List.of("https://site-b.example.org"), false, null, null, null)).id());
        executions = new Executions(new ExecutionStore(tx, clock, instance), policies, policy -> {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new RegistryException(ErrorCode.NO_SUCH_RESOURCE, "test: this source cannot be listed");
        }, new Executions.Options(1, Duration.ZERO, Duration.ofSeconds(30), PushOptions.defaults()), clock);
    }

    /** Lets executions (waiting or to come) end at once, Failed. */
    void release() {
        gate.countDown();
    }

    /** A push policy to site-b. */
    long policy(String name, Trigger trigger, List<PolicyFilter> filters, boolean replicateDeletion,
                boolean enabled) {
        return policies.create(new PolicyDraft(name, null, null, remote, filters, trigger, null, -1, true,
                replicateDeletion, true, 0, 4, enabled)).id();
    }

    /** A pull policy from site-b into this Berth. */
    long pullPolicy(String name, Trigger trigger) {
        return policies.create(new PolicyDraft(name, null, remote, null, List.of(), trigger, null, -1, true, true,
                true, 0, 4, true)).id();
    }

    List<Execution> executionsOf(long policyId) {
        return executions.store().list(policyId, 1, 100).items();
    }

    boolean active(long policyId) {
        return executionsOf(policyId).stream().anyMatch(e -> e.status().isActive());
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                fail("timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() {
        release();
        executions.close();
    }
}
