package io.berth.store.audit;

import io.berth.store.Caller;
import io.berth.store.event.Outbox;
import io.berth.store.event.RegistryEvent;
import io.berth.store.meta.Admission;
import io.berth.store.meta.Database;
import io.berth.store.meta.Transactions;
import io.berth.store.oci.Digest;
import io.berth.store.oci.RepositoryName;
import io.berth.store.testing.DatabaseTestBase;
import io.berth.store.testing.OnH2AndPostgres;
import io.berth.store.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The audit log: what registry events and sign-ins leave in it, and how it is searched. */
@OnH2AndPostgres
class AuditLogTest extends DatabaseTestBase {
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private static final Caller ALICE = new Caller("alice", Caller.Kind.USER, "10.0.0.7");
    private static final Caller ANONYMOUS = Caller.anonymous("10.0.0.9");
    private static final RepositoryName APP = RepositoryName.parse("team/app");

    private Transactions tx;
    private AuditLog audit;

    AuditLogTest(TestDatabase database) {
        super(database);
    }

    @BeforeEach
    void open() {
        tx = new Transactions(Database.open(dataSource), Admission.unbounded());
        audit = new AuditLog(tx);
    }

    @Test
    void registryEvents_becomeOneLineEach_evenWhenDeliveredTwice() {
        Digest digest = Digest.sha256("manifest".getBytes(StandardCharsets.UTF_8));
        List<RegistryEvent> events = tx.inTransaction(h -> new Outbox().append(h, List.of(
                RegistryEvent.pushed(T0, APP, digest, "application/vnd.oci.image.manifest.v1+json", "1.0", ALICE),
                RegistryEvent.pulled(T0.plusSeconds(1), APP, digest, null, "1.0", ANONYMOUS, 3),
                RegistryEvent.tagDeleted(T0.plusSeconds(2), APP, "1.0", digest, ALICE),
                RegistryEvent.deleted(T0.plusSeconds(3), APP, digest, ALICE))));
        AuditConsumer consumer = new AuditConsumer(tx);

        consumer.accept(events);
        consumer.accept(events.subList(2, 4)); // at least once: the tail again

        List<AuditEntry> lines = audit.find(AuditQuery.all(), 1, 10).entries();
        assertEquals(4, lines.size());
        assertEquals(List.of("delete", "delete", "pull", "push"), lines.stream().map(AuditEntry::action).toList());
        AuditEntry push = lines.get(3);
        assertEquals("team/app:1.0", push.resource());
        assertEquals("team", push.project());
        assertEquals("team/app", push.repository());
        assertEquals(ALICE, push.who());
        assertEquals(3, lines.get(2).count());
        assertEquals("anonymous", lines.get(2).who().subject());
        assertEquals("team/app@" + digest, lines.get(0).resource());
    }

    @Test
    void pushesAndPullsByTag_nameTheDigestTheTagStoodFor_byDigestTheResourceDoes() {
        Digest first = Digest.sha256("first".getBytes(StandardCharsets.UTF_8));
        Digest moved = Digest.sha256("moved".getBytes(StandardCharsets.UTF_8));
        String mediaType = "application/vnd.oci.image.manifest.v1+json";
        List<RegistryEvent> events = tx.inTransaction(h -> new Outbox().append(h, List.of(
                RegistryEvent.pushed(T0, APP, first, mediaType, "latest", ALICE),
                RegistryEvent.pulled(T0.plusSeconds(1), APP, first, mediaType, "latest", ALICE, 1),
                RegistryEvent.pushed(T0.plusSeconds(2), APP, moved, mediaType, "latest", ALICE),
                RegistryEvent.pulled(T0.plusSeconds(3), APP, moved, mediaType, "latest", ALICE, 2),
                RegistryEvent.pulled(T0.plusSeconds(4), APP, moved, mediaType, null, ALICE, 1))));

        new AuditConsumer(tx).accept(events);

        List<AuditEntry> lines = audit.find(AuditQuery.all(), 1, 10).entries().reversed();
        assertEquals(List.of("push", "pull", "push", "pull", "pull"), lines.stream().map(AuditEntry::action).toList());
        assertEquals(List.of("team/app:latest", "team/app:latest", "team/app:latest", "team/app:latest",
                "team/app@" + moved), lines.stream().map(AuditEntry::resource).toList());
        assertEquals(first.toString(), lines.get(1).detail(), "the pull before the tag moved got the first digest");
        assertEquals(moved.toString(), lines.get(3).detail(), "the pull after it got the new one");
        assertEquals(first.toString(), lines.get(0).detail());
        assertEquals(moved.toString(), lines.get(2).detail());
        assertNull(lines.get(4).detail(), "a pull by digest names it in its resource already");
    }

    @Test
    void labelChanges_areUpdatesOfTheArtifact_namingTheLabel() {
        Digest digest = Digest.sha256("labelled".getBytes(StandardCharsets.UTF_8));
        List<RegistryEvent> events = tx.inTransaction(h -> new Outbox().append(h, List.of(
                RegistryEvent.labelAdded(T0, APP, digest, "prod", ALICE),
                RegistryEvent.labelRemoved(T0.plusSeconds(1), APP, digest, "prod", ALICE))));

        new AuditConsumer(tx).accept(events);

        List<AuditEntry> lines = audit.find(AuditQuery.all(), 1, 10).entries().reversed();
        assertEquals(List.of("update", "update"), lines.stream().map(AuditEntry::action).toList());
        assertEquals(List.of("label 'prod' added", "label 'prod' removed"),
                lines.stream().map(AuditEntry::detail).toList());
        assertEquals("team/app@" + digest, lines.getFirst().resource());
        assertEquals("artifact", lines.getFirst().resourceType());
        assertEquals("team", lines.getFirst().project());
        assertEquals(ALICE, lines.getFirst().who());
    }

    @Test
    void search_filtersByActorProjectActionResultAndTime_newestFirst_inPages() {
        audit.record(AuditEntry.of(T0, ALICE, "login", "user", "alice", null, true, null));
        audit.record(AuditEntry.of(T0.plusSeconds(10), new Caller("bob", Caller.Kind.USER, "10.0.0.8"), "login",
                "user", "bob", null, false, "wrong user name or password"));
        audit.record(AuditEntry.of(T0.plusSeconds(20), ALICE, "create", "project", "team", "team", true, null));
        audit.record(AuditEntry.of(T0.plusSeconds(30), ALICE, "create", "member", "bob", "team", true, "developer"));

        assertEquals(3, audit.find(new AuditQuery("alice", null, null, null, null, null, null), 1, 10).total());
        assertEquals(2, audit.find(AuditQuery.all().inProject("team"), 1, 10).total());
        AuditLog.Page failures = audit.find(new AuditQuery(null, null, null, "login", false, null, null), 1, 10);
        assertEquals(1, failures.total());
        assertFalse(failures.entries().getFirst().success());
        assertEquals("wrong user name or password", failures.entries().getFirst().detail());
        assertEquals(2, audit.find(new AuditQuery(null, null, null, null, null, T0.plusSeconds(10),
                T0.plusSeconds(30)), 1, 10).total());

        AuditLog.Page second = audit.find(AuditQuery.all(), 2, 3);
        assertEquals(4, second.total());
        assertEquals(1, second.entries().size());
        assertEquals("alice", second.entries().getFirst().resource(), "the oldest line is last");
    }

    @Test
    void aLineWrittenInsideATransaction_isGoneWhenTheChangeRollsBack() {
        assertThrows(IllegalStateException.class, () -> tx.useTransaction(h -> {
            AuditLog.record(h, AuditEntry.of(T0, ALICE, "create", "user", "carol", null, true, null));
            throw new IllegalStateException("the change failed");
        }));
        assertEquals(0, audit.find(AuditQuery.all(), 1, 10).total());
    }

    @Test
    void retention_deletesOnlyOldLines() {
        audit.record(AuditEntry.of(T0, ALICE, "login", "user", "alice", null, true, null));
        audit.record(AuditEntry.of(T0.plusSeconds(3600), ALICE, "login", "user", "alice", null, true, null));

        assertEquals(1, audit.deleteOlderThan(T0.plusSeconds(60), 100));
        assertTrue(audit.find(AuditQuery.all(), 1, 10).entries().getFirst().occurredAt().isAfter(T0));
    }
}
