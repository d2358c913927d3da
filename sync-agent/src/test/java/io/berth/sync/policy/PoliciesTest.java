package io.berth.sync.policy;

import io.berth.store.Caller;
import io.berth.store.Inventory.Listing;
import io.berth.store.audit.AuditEntry;
import io.berth.store.audit.AuditLog;
import io.berth.store.audit.AuditQuery;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.meta.Admission;
import io.berth.store.meta.Database;
import io.berth.store.meta.Transactions;
import io.berth.store.testing.DatabaseTestBase;
import io.berth.store.testing.MutableClock;
import io.berth.store.testing.OnH2AndPostgres;
import io.berth.store.testing.TestDatabase;
import io.berth.store.upstream.EndpointDraft;
import io.berth.store.upstream.RegistryEndpoint;
import io.berth.store.upstream.RegistryEndpoints;
import io.berth.store.upstream.SecretBox;
import io.berth.sync.filter.Decoration;
import io.berth.sync.filter.FilterType;
import io.berth.sync.filter.PolicyFilter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replication policies in the database, on both databases: stored and read back field for field,
 * listed by name in pages, replaced, deleted, audited; refused for a name in use or an endpoint that
 * does not exist, leaving nothing behind; and the endpoints they use kept from deletion.
 */
@OnH2AndPostgres
class PoliciesTest extends DatabaseTestBase {
    private static final Caller ALICE = new Caller("alice", Caller.Kind.USER, "10.0.0.7");
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private Transactions tx;
    private RegistryEndpoints endpoints;
    private Policies policies;
    private long siteB;
    private long hub;

    PoliciesTest(TestDatabase database) {
        super(database);
    }

    @BeforeEach
    void open() {
        tx = new Transactions(Database.open(dataSource), Admission.unbounded());
        endpoints = new RegistryEndpoints(tx, SecretBox.ofBase64(SecretBox.generateKey()), clock);
        policies = new Policies(tx, clock).as(ALICE);
        siteB = endpoint("site-b");
        hub = endpoint("hub");
    }

    @Test
    void theContractExample_isStored_andReadBackFieldForField() {
        DraftBuilder draft = new DraftBuilder(siteB);
        draft.filters = List.of(
                PolicyFilter.matching(FilterType.NAME, "team/**"),
                PolicyFilter.of(FilterType.TAG, List.of("v*"), Decoration.MATCHES),
                PolicyFilter.matching(FilterType.LABEL, "prod"),
                PolicyFilter.of(FilterType.PLATFORM, List.of("linux/amd64", "linux/arm64"), null));
        draft.trigger = Trigger.scheduled("0 0 */6 * * *");
        draft.destNamespace = "mirror";
        draft.destNamespaceReplaceCount = 1;
        draft.replicateDeletion = false;
        draft.bandwidthLimitKiBps = 0;

        ReplicationPolicy created = policies.create(draft.build());

        assertTrue(created.id() > 0);
        ReplicationPolicy read = policies.get(created.id());
        assertEquals(draft.stored(created.id(), T0, T0), read);
        assertEquals(ReplicationPolicy.Mode.PUSH, read.mode());
        assertEquals("mirror/app", read.destinationName("team/app"));
        assertTrue(read.selection().repositoryPasses("team/app"));
        assertTrue(!read.selection().repositoryPasses("ops/app"));
    }

    @Test
    void aPullPolicy_withoutOptionalFields_keepsItsDefaults() {
        DraftBuilder draft = new DraftBuilder(siteB);
        draft.destRegistryId = null;
        draft.sourceRegistryId = hub;
        draft.description = null;
        draft.destNamespace = "";
        draft.trigger = Trigger.eventBased();
        draft.enabled = false;

        ReplicationPolicy read = policies.get(policies.create(draft.build()).id());

        assertEquals(ReplicationPolicy.Mode.PULL, read.mode());
        assertEquals(hub, read.sourceRegistryId());
        assertEquals(null, read.destRegistryId());
        assertEquals(null, read.destNamespace(), "an empty namespace is none");
        assertEquals("library/nginx", read.destinationName("library/nginx"));
        assertEquals(Trigger.eventBased(), read.trigger());
        assertEquals(List.of(), read.filters());
        assertEquals(4, read.concurrency());
        assertTrue(!read.enabled());
    }

    @Test
    void theListing_isByName_inPages_withTheTotal() {
        for (String name : List.of("charlie", "alpha", "bravo")) {
            DraftBuilder draft = new DraftBuilder(siteB);
            draft.name = name;
            policies.create(draft.build());
        }

        Listing<ReplicationPolicy> first = policies.list(1, 2);
        Listing<ReplicationPolicy> second = policies.list(2, 2);

        assertEquals(List.of("alpha", "bravo"), first.items().stream().map(ReplicationPolicy::name).toList());
        assertEquals(List.of("charlie"), second.items().stream().map(ReplicationPolicy::name).toList());
        assertEquals(3, first.total());
    }

    @Test
    void update_replacesEverySetting_andKeepsTheCreationTime() {
        long id = policies.create(new DraftBuilder(siteB).build()).id();
        clock.advance(Duration.ofMinutes(5));
        DraftBuilder changed = new DraftBuilder(siteB);
        changed.name = "renamed";
        changed.destRegistryId = null;
        changed.sourceRegistryId = hub;
        changed.filters = List.of(PolicyFilter.of(FilterType.TAG, List.of("*-rc*"), Decoration.EXCLUDES));
        changed.trigger = Trigger.eventBased();
        changed.override = false;
        changed.copyReferrers = false;
        changed.replicateDeletion = true;
        changed.concurrency = 8;
        changed.bandwidthLimitKiBps = 2048;
        changed.rewriteSparseIndex = true;

        ReplicationPolicy updated = policies.update(id, changed.build());

        assertEquals(changed.stored(id, T0, T0.plus(Duration.ofMinutes(5))), updated);
        assertEquals(updated, policies.get(id));
    }

    @Test
    void aNameInUse_isAConflict_onCreateAndOnRename() {
        policies.create(new DraftBuilder(siteB).build());
        DraftBuilder other = new DraftBuilder(siteB);
        other.name = "other";
        long otherId = policies.create(other.build()).id();

        assertFailure(ErrorCode.CONFLICT, () -> policies.create(new DraftBuilder(hub).build()));
        assertFailure(ErrorCode.CONFLICT, () -> policies.update(otherId, new DraftBuilder(siteB).build()));
        assertEquals(2, policies.list(1, 10).total());
        assertEquals("other", policies.get(otherId).name());
    }

    @Test
    void anEndpointThatDoesNotExist_isInvalidInput_namingTheField_andNothingIsStored() {
        RegistryException dest = assertThrows(RegistryException.class,
                () -> policies.create(new DraftBuilder(9999).build()));
        DraftBuilder pull = new DraftBuilder(siteB);
        pull.destRegistryId = null;
        pull.sourceRegistryId = 8888L;
        RegistryException source = assertThrows(RegistryException.class, () -> policies.create(pull.build()));

        assertEquals(ErrorCode.INVALID_INPUT, dest.code());
        assertTrue(dest.getMessage().contains("destRegistryId 9999"), dest.getMessage());
        assertTrue(source.getMessage().contains("sourceRegistryId 8888"), source.getMessage());
        assertEquals(0, policies.list(1, 10).total());
        assertEquals(List.of(), new AuditLog(tx).find(AuditQuery.all(), 1, 10).entries().stream()
                .filter(line -> line.resourceType().equals("replication")).toList());
    }

    @Test
    void delete_removesThePolicy_andThenItIsNotFound() {
        long id = policies.create(new DraftBuilder(siteB).build()).id();

        policies.delete(id);

        assertFailure(ErrorCode.NO_SUCH_RESOURCE, () -> policies.get(id));
        assertFailure(ErrorCode.NO_SUCH_RESOURCE, () -> policies.delete(id));
        assertFailure(ErrorCode.NO_SUCH_RESOURCE, () -> policies.update(id, new DraftBuilder(siteB).build()));
    }

    @Test
    void anEndpointAPolicyUses_cannotBeDeleted_untilThePolicyIsGone() {
        long id = policies.create(new DraftBuilder(siteB).build()).id();

        RegistryException refused = assertThrows(RegistryException.class, () -> endpoints.delete(siteB));

        assertEquals(ErrorCode.CONFLICT, refused.code());
        assertTrue(refused.getMessage().contains("used by the replication policy to-site-b"), refused.getMessage());
        policies.delete(id);
        endpoints.delete(siteB);
        assertFailure(ErrorCode.NO_SUCH_RESOURCE, () -> endpoints.get(siteB));
    }

    @Test
    void everyChange_isAudited_asItsAuthor() {
        long id = policies.create(new DraftBuilder(siteB).build()).id();
        DraftBuilder changed = new DraftBuilder(siteB);
        changed.trigger = Trigger.scheduled("0 0 3 * * *");
        policies.update(id, changed.build());
        policies.delete(id);

        List<AuditEntry> lines = new AuditLog(tx).find(AuditQuery.all(), 1, 10).entries().stream()
                .filter(line -> line.resourceType().equals("replication")).toList();

        assertEquals(List.of("delete", "update", "create"), lines.stream().map(AuditEntry::action).toList());
        for (AuditEntry line : lines) {
            assertEquals(ALICE, line.who());
            assertEquals("to-site-b", line.resource());
        }
        assertTrue(lines.get(2).detail().startsWith("push to registry " + siteB + ", manual"), lines.get(2).detail());
        assertTrue(lines.get(1).detail().contains("scheduled 0 0 3 * * *"), lines.get(1).detail());
    }

    private long endpoint(String name) {
        return endpoints.create(new EndpointDraft(name, RegistryEndpoint.Type.V2, List.of("https://" + name
                + ".example.org"), false, null, null, null)).id();
    }

    private static void assertFailure(ErrorCode code, Executable call) {
        RegistryException e = assertThrows(RegistryException.class, call);
        assertEquals(code, e.code(), e.getMessage());
    }
}
