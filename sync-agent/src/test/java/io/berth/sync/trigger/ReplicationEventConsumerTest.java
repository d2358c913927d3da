package io.berth.sync.trigger;

import io.berth.store.Caller;
import io.berth.store.event.EventConsumers;
import io.berth.store.event.EventType;
import io.berth.store.event.Outbox;
import io.berth.store.event.RegistryEvent;
import io.berth.store.oci.Digest;
import io.berth.store.oci.RepositoryName;
import io.berth.store.testing.DatabaseTestBase;
import io.berth.store.testing.OnH2AndPostgres;
import io.berth.store.testing.TestDatabase;
import io.berth.sync.execution.ExecutionScope.Change;
import io.berth.sync.execution.ExecutionScope.Kind;
import io.berth.sync.filter.Decoration;
import io.berth.sync.filter.FilterType;
import io.berth.sync.filter.PolicyFilter;
import io.berth.sync.policy.Trigger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.berth.sync.trigger.TriggerFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The replication event consumer, on both databases: which events become which changes for which
 * policies (name, tag and label filters, deletions only where replicated, disabled, manual and
 * pull policies ignored), a batch delivered twice recorded once, and a new consumer instance (a
 * restart) going on from the durable cursor without losing or repeating an event.
 */
@OnH2AndPostgres
class ReplicationEventConsumerTest extends DatabaseTestBase {
    private static final Caller ALICE = new Caller("alice", Caller.Kind.USER, "10.0.0.7");
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    private TriggerFixture here;
    private final Map<String, List<String>> labels = new java.util.HashMap<>();
    private final AtomicInteger wakeUps = new AtomicInteger();
    private ReplicationEventConsumer consumer;

    ReplicationEventConsumerTest(TestDatabase database) {
        super(database);
    }

    @BeforeEach
    void open() {
        here = new TriggerFixture(dataSource, "instance-a");
        consumer = new ReplicationEventConsumer(here.store, here.policies,
                (repository, digest) -> labels.getOrDefault(repository + "@" + digest, List.of()),
                wakeUps::incrementAndGet);
    }

    @AfterEach
    void close() {
        here.close();
    }

    @Test
    void eachEvent_becomesTheChangeEachMatchingPolicyAsksFor() {
        long team = here.policy("team-v", Trigger.eventBased(), List.of(PolicyFilter.matching(FilterType.NAME,
                "team/**"), PolicyFilter.matching(FilterType.TAG, "v*")), false, true);
        long deletions = here.policy("deletions", Trigger.eventBased(), List.of(), true, true);
        long prod = here.policy("prod", Trigger.eventBased(), List.of(PolicyFilter.of(FilterType.LABEL,
                List.of("prod"), Decoration.MATCHES)), false, true);
        long disabled = here.policy("disabled", Trigger.eventBased(), List.of(), true, false);
        long manual = here.policy("manual", Trigger.manual(), List.of(), true, true);
        long pull = here.pullPolicy("pull", Trigger.eventBased());
        labels.put("team/app@" + digest("v1"), List.of("prod"));

        consumer.accept(List.of(
                event(1, EventType.PUSHED, "team/app", "v1"),
                event(2, EventType.PUSHED, "team/app", "latest"),
                event(3, EventType.PUSHED, "other/app", "v2"),
                event(4, EventType.PUSHED, "team/app", null),
                event(5, EventType.PULLED, "team/app", "v1"),
                event(6, EventType.TAG_DELETED, "team/app", "v0"),
                event(7, EventType.DELETED, "team/app", null),
                label(8, EventType.LABEL_ADDED, "team/app", "v1"),
                label(9, EventType.LABEL_ADDED, "team/app", "v3"),
                label(10, EventType.LABEL_REMOVED, "team/app", "v1")));

        assertEquals(List.of(copy(1, "team/app", "v1")), changes(team));
        assertEquals(List.of(copy(1, "team/app", "v1"), copy(2, "team/app", "latest"), copy(3, "other/app", "v2"),
                new Change(Kind.DELETE, "team/app", "v0", digest("v0"), 6),
                new Change(Kind.DELETE, "team/app", null, digest(null), 7)), changes(deletions));
        assertEquals(List.of(copy(1, "team/app", "v1"), new Change(Kind.COPY, "team/app", null, digest("v1"), 8)),
                changes(prod), "pushes and label additions pass the label filter only with the label");
        assertEquals(List.of(), changes(disabled));
        assertEquals(List.of(), changes(manual));
        assertEquals(List.of(), changes(pull), "a pull policy's source is another registry: its events are not ours");
        assertEquals(1, wakeUps.get());
    }

    @Test
    void aBatchDeliveredAgain_isRecordedOnce() {
        long policy = here.policy("all", Trigger.eventBased(), List.of(), false, true);
        List<RegistryEvent> batch = List.of(event(1, EventType.PUSHED, "team/app", "v1"),
                event(2, EventType.PUSHED, "team/app", "v2"));

        consumer.accept(batch);
        consumer.accept(batch);

        assertEquals(List.of(copy(1, "team/app", "v1"), copy(2, "team/app", "v2")), changes(policy));
    }

    @Test
    void aNewConsumerInstance_goesOnFromTheCursor_losingAndRepeatingNothing() throws Exception {
        long policy = here.policy("all", Trigger.eventBased(), List.of(), false, true);
        Outbox outbox = new Outbox();
        EventConsumers first = runner("instance-a");
        first.register(consumer);
        await("the cursor exists", Duration.ofSeconds(20), () -> here.tx.withHandle(h -> h.createQuery(
                "SELECT COUNT(*) FROM event_cursor WHERE name = 'replication'").mapTo(Integer.class).one()) == 1);
        append(outbox, "v1", "v2", "v3");
        await("three changes", Duration.ofSeconds(20), () -> changes(policy).size() == 3);
        first.close();

        append(outbox, "v4", "v5");
        EventConsumers second = runner("instance-b");
        try {
            second.register(new ReplicationEventConsumer(here.store, here.policies, (r, d) -> List.of(), () -> { }));
            await("five changes", Duration.ofSeconds(20), () -> changes(policy).size() == 5);
        } finally {
            second.close();
        }

        List<String> tags = new ArrayList<>();
        changes(policy).forEach(c -> tags.add(c.tag()));
        assertEquals(List.of("v1", "v2", "v3", "v4", "v5"), tags);
    }

    private EventConsumers runner(String instance) {
        return new EventConsumers(here.tx, java.time.Clock.systemUTC(), new EventConsumers.Options(instance,
                Duration.ofMillis(50), Duration.ofSeconds(30), 100, Duration.ofMillis(100), Duration.ofSeconds(5)));
    }

    private void append(Outbox outbox, String... tags) {
        List<RegistryEvent> events = new ArrayList<>();
        for (String tag : tags) {
            events.add(RegistryEvent.pushed(Instant.now(), RepositoryName.parse("team/app"),
                    Digest.sha256(tag.getBytes(StandardCharsets.UTF_8)), "application/vnd.oci.image.manifest.v1+json",
                    tag, ALICE));
        }
        here.tx.useTransaction(h -> outbox.append(h, events));
    }

    private List<Change> changes(long policy) {
        return here.store.changesOf(policy).stream().map(TriggerStore.PendingChange::change).toList();
    }

    private static Change copy(long id, String repository, String tag) {
        return new Change(Kind.COPY, repository, tag, digest(tag), id);
    }

    /** An event of a manifest whose digest comes from {@code tag} (or, by digest only, "untagged"). */
    private static RegistryEvent event(long id, EventType type, String repository, String tag) {
        return new RegistryEvent(id, type, T0, repository, digest(tag), null, tag, ALICE, 1, null);
    }

    private static RegistryEvent label(long id, EventType type, String repository, String ofTag) {
        RegistryEvent event = type == EventType.LABEL_ADDED
                ? RegistryEvent.labelAdded(T0, RepositoryName.parse(repository), Digest.parse(digest(ofTag)), "prod",
                ALICE)
                : RegistryEvent.labelRemoved(T0, RepositoryName.parse(repository), Digest.parse(digest(ofTag)), "prod",
                ALICE);
        return event.withId(id);
    }

    private static String digest(String tag) {
        return Digest.sha256((tag == null ? "untagged" : tag).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
