package io.berth.store.label;

import io.berth.store.Caller;
import io.berth.store.Inventory.ArtifactSummary;
import io.berth.store.error.ErrorCode;
import io.berth.store.event.EventType;
import io.berth.store.event.RegistryEvent;
import io.berth.store.oci.Digest;
import io.berth.store.oci.Reference;
import io.berth.store.oci.RepositoryName;
import io.berth.store.testing.OnH2AndPostgres;
import io.berth.store.testing.RegistryTestBase;
import io.berth.store.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Labels on artifacts, on both databases: put on by tag or digest (creating the label in the
 * artifact's project), idempotent, taken off, shown in the artifact listing, each change an event
 * in the outbox naming the label; refusals for what does not exist and for bad names.
 */
@OnH2AndPostgres
class LabelsTest extends RegistryTestBase {
    private static final Caller ALICE = new Caller("alice", Caller.Kind.USER, "10.0.0.7");

    LabelsTest(TestDatabase database) {
        super(database);
    }

    @Test
    void add_byTag_thenByDigest_labelsTheArtifact_andShowsInTheListing() throws IOException {
        RepositoryName app = repo("team/app");
        Image image = image("app");
        push(app, "v1", image);

        LabeledArtifact first = labels().add(app, Reference.parse("v1"), "prod", ALICE);
        LabeledArtifact second = labels().add(app, Reference.of(image.digest()), "eu", ALICE);

        assertEquals(image.digest().toString(), first.digest());
        assertEquals(List.of("prod"), first.labels());
        assertEquals(List.of("eu", "prod"), second.labels());
        assertTrue(first.changed() && second.changed());
        ArtifactSummary listed = registry.inventory().artifacts(app, 1, 10).items().getFirst();
        assertEquals(List.of("eu", "prod"), listed.labels());
    }

    @Test
    void add_twice_changesNothing_andWritesOneEvent() throws IOException {
        RepositoryName app = repo("team/app");
        Image image = image("app");
        push(app, "v1", image);
        int before = events().size();

        labels().add(app, Reference.parse("v1"), "prod", ALICE);
        LabeledArtifact again = labels().add(app, Reference.parse("v1"), "prod", ALICE);

        assertFalse(again.changed());
        assertEquals(List.of("prod"), again.labels());
        List<RegistryEvent> events = events().subList(before, events().size());
        assertEquals(1, events.size(), events.toString());
        RegistryEvent added = events.getFirst();
        assertEquals(EventType.LABEL_ADDED, added.type());
        assertEquals("prod", added.label());
        assertEquals("team/app", added.repository());
        assertEquals(image.digest().toString(), added.digest());
        assertEquals("alice", added.caller().subject());
        assertEquals(1, count("SELECT COUNT(*) FROM label"), "one label, in project team");
    }

    @Test
    void remove_takesTheLabelOff_writesAnEvent_andKeepsTheOthers() throws IOException {
        RepositoryName app = repo("team/app");
        Image image = image("app");
        push(app, "v1", image);
        labels().add(app, Reference.parse("v1"), "prod", ALICE);
        labels().add(app, Reference.parse("v1"), "qa", ALICE);

        LabeledArtifact after = labels().remove(app, Reference.of(image.digest()), "qa", ALICE);

        assertEquals(List.of("prod"), after.labels());
        RegistryEvent removed = events().getLast();
        assertEquals(EventType.LABEL_REMOVED, removed.type());
        assertEquals("qa", removed.label());
        assertEquals(image.digest().toString(), removed.digest());
        assertEquals(List.of("prod"), registry.inventory().artifacts(app, 1, 10).items().getFirst().labels());
        assertFailure(ErrorCode.NO_SUCH_RESOURCE, () -> labels().remove(app, Reference.parse("v1"), "qa", ALICE));
    }

    @Test
    void aLabelName_isOneLabelPerProject_andARegistryWideOneIsUsedWhenTheProjectHasNone() throws IOException {
        push(repo("team/app"), "v1", image("a"));
        push(repo("team/other"), "v1", image("b"));
        push(repo("ops/tool"), "v1", image("c"));
        sql("INSERT INTO label (name, project_id, scope_id, created_at) VALUES ('gold', NULL, 0, CURRENT_TIMESTAMP)");

        labels().add(repo("team/app"), Reference.parse("v1"), "prod", ALICE);
        labels().add(repo("team/other"), Reference.parse("v1"), "prod", ALICE);
        labels().add(repo("ops/tool"), Reference.parse("v1"), "prod", ALICE);
        labels().add(repo("team/app"), Reference.parse("v1"), "gold", ALICE);
        labels().add(repo("ops/tool"), Reference.parse("v1"), "gold", ALICE);

        assertEquals(2, count("SELECT COUNT(*) FROM label WHERE name = 'prod'"), "one in team, one in ops");
        assertEquals(1, count("SELECT COUNT(*) FROM label WHERE name = 'gold'"), "the registry-wide one, twice used");
        assertEquals(2, count("SELECT COUNT(*) FROM artifact_label al JOIN label l ON l.id = al.label_id"
                + " WHERE l.project_id IS NULL"));
    }

    @Test
    void deletingTheArtifact_takesItsLabelsWithIt() throws IOException {
        RepositoryName app = repo("team/app");
        Image image = image("app");
        push(app, "v1", image);
        labels().add(app, Reference.parse("v1"), "prod", ALICE);

        registry.manifests().delete(app, Reference.of(image.digest()), ALICE);

        assertEquals(0, count("SELECT COUNT(*) FROM artifact_label"));
    }

    @Test
    void unknownRepositoriesArtifactsAndBadNames_areRefused_leavingNothingBehind() throws IOException {
        RepositoryName app = repo("team/app");
        push(app, "v1", image("app"));
        int before = events().size();

        assertFailure(ErrorCode.NO_SUCH_RESOURCE, () -> labels().add(repo("team/none"), Reference.parse("v1"), "prod",
                ALICE));
        assertFailure(ErrorCode.NO_SUCH_RESOURCE, () -> labels().add(app, Reference.parse("v2"), "prod", ALICE));
        assertFailure(ErrorCode.NO_SUCH_RESOURCE, () -> labels().add(app, Reference.of(Digest.sha256(new byte[1])),
                "prod", ALICE));
        for (String bad : new String[] {"", "-x", "has space", "x".repeat(129), "a/b"}) {
            assertFailure(ErrorCode.INVALID_INPUT, () -> labels().add(app, Reference.parse("v1"), bad, ALICE));
        }

        assertEquals(before, events().size());
        assertEquals(0, count("SELECT COUNT(*) FROM label"));
    }

    private Labels labels() {
        return registry.labels();
    }
}
