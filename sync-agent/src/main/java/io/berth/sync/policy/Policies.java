package io.berth.sync.policy;

import io.berth.store.Caller;
import io.berth.store.Inventory.Listing;
import io.berth.store.audit.AuditEntry;
import io.berth.store.audit.AuditLog;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.meta.Transactions;
import io.berth.sync.filter.FilterJson;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;

/**
 * The replication policies (the {@code replication_policy} table): created, read, listed, replaced
 * and deleted, each change audited in its own transaction as its author's ({@link #as}). A policy's
 * registry endpoints must exist; a name is unique. Methods block on the database. Listeners
 * ({@link #onChange}) hear of each change once it is committed, e.g. to (re)schedule the policy.
 */
public final class Policies {
    private static final Logger LOG = LoggerFactory.getLogger(Policies.class);
    private static final String RESOURCE_TYPE = "replication";

    private final Transactions tx;
    private final Clock clock;
    private final Caller actor;
    private final List<LongConsumer> listeners;

    /** Changes are audited as Berth's own until {@link #as} names who makes them. */
    public Policies(Transactions tx, Clock clock) {
        this(tx, clock, Caller.system("berth"), new CopyOnWriteArrayList<>());
    }

    private Policies(Transactions tx, Clock clock, Caller actor, List<LongConsumer> listeners) {
        this.tx = tx;
        this.clock = clock;
        this.actor = actor;
        this.listeners = listeners;
    }

    /** These policies, with the changes made through them audited as {@code who}'s. */
    public Policies as(Caller who) {
        return new Policies(tx, clock, who, listeners);
    }

    /**
     * Calls {@code listener} with a policy's id after each create, update or delete through these
     * policies (or any {@link #as} of them) is committed. A listener that throws is logged; the
     * change stands.
     */
    public void onChange(LongConsumer listener) {
        listeners.add(listener);
    }

    /**
     * Stores a new policy; INVALID_INPUT for a field that cannot be (an endpoint that does not
     * exist among them), CONFLICT for a name in use.
     */
    public ReplicationPolicy create(PolicyDraft draft) {
        PolicyRules.check(draft);
        long id = tx.inTransaction(h -> {
            PolicyDao dao = h.attach(PolicyDao.class);
            if (dao.idOf(draft.name()).isPresent()) {
                throw nameTaken(draft.name());
            }
            requireEndpoints(dao, draft);
            long created = dao.insert(fields(draft), clock.instant());
            record(h, "create", draft.name(), PolicySummary.of(draft));
            return created;
        });
        changed(id);
        return get(id);
    }

    /** The policy with this id; NO_SUCH_RESOURCE when there is none. */
    public ReplicationPolicy get(long id) {
        return tx.withHandle(h -> policy(h.attach(PolicyDao.class).byId(id).orElseThrow(() -> missing(id))));
    }

    /** A page of policies by name (from 1), and how many there are. */
    public Listing<ReplicationPolicy> list(int page, int pageSize) {
        long offset = (long) (page - 1) * pageSize;
        return tx.withHandle(h -> {
            PolicyDao dao = h.attach(PolicyDao.class);
            return new Listing<>(dao.list(pageSize, offset).stream().map(Policies::policy).toList(), dao.count());
        });
    }

    /** Replaces a policy's settings with {@code draft}'s; as {@link #create} fails, and NO_SUCH_RESOURCE. */
    public ReplicationPolicy update(long id, PolicyDraft draft) {
        PolicyRules.check(draft);
        tx.useTransaction(h -> {
            PolicyDao dao = h.attach(PolicyDao.class);
            dao.byId(id).orElseThrow(() -> missing(id));
            if (dao.idOf(draft.name()).filter(other -> other != id).isPresent()) {
                throw nameTaken(draft.name());
            }
            requireEndpoints(dao, draft);
            dao.update(id, fields(draft), clock.instant());
            record(h, "update", draft.name(), PolicySummary.of(draft));
        });
        changed(id);
        return get(id);
    }

    /** Deletes a policy; NO_SUCH_RESOURCE when there is none. */
    public void delete(long id) {
        tx.useTransaction(h -> {
            PolicyDao dao = h.attach(PolicyDao.class);
            PolicyDao.Row row = dao.byId(id).orElseThrow(() -> missing(id));
            dao.delete(id);
            record(h, "delete", row.name(), null);
        });
        changed(id);
    }

    private void changed(long id) {
        for (LongConsumer listener : listeners) {
            try {
                listener.accept(id);
            } catch (RuntimeException e) {
                LOG.warn("a listener of replication policy changes failed for policy {}", id, e);
            }
        }
    }

    /**
     * Both sides' endpoints exist. One deleted meanwhile fails the insert on its foreign key, and
     * {@link Transactions} runs this again, which then says so.
     */
    private static void requireEndpoints(PolicyDao dao, PolicyDraft draft) {
        requireEndpoint(dao, draft.sourceRegistryId(), "sourceRegistryId");
        requireEndpoint(dao, draft.destRegistryId(), "destRegistryId");
    }

    private static void requireEndpoint(PolicyDao dao, Long id, String field) {
        if (id != null && dao.endpointExists(id) == 0) {
            throw new RegistryException(ErrorCode.INVALID_INPUT, field + " " + id + " names no registry endpoint:"
                    + " create it first (POST /api/v1/registries), or pick one GET /api/v1/registries lists");
        }
    }

    private static PolicyDao.Fields fields(PolicyDraft d) {
        return new PolicyDao.Fields(d.name(), d.description(), d.sourceRegistryId(), d.destRegistryId(),
                FilterJson.toText(d.filters()), d.trigger().type().wireName(), d.trigger().cron(),
                d.destNamespace() == null || d.destNamespace().isEmpty() ? null : d.destNamespace(),
                d.destNamespaceReplaceCount(), d.override(), d.replicateDeletion(), d.copyReferrers(),
                d.bandwidthLimitKiBps(), d.concurrency(), d.enabled(), d.rewriteSparseIndex());
    }

    private static ReplicationPolicy policy(PolicyDao.Row row) {
        Trigger trigger = new Trigger(Trigger.Type.ofWireName(row.triggerType()), row.triggerCron());
        return new ReplicationPolicy(row.id(), row.name(), row.description(), row.sourceRegistryId(),
                row.destRegistryId(), FilterJson.fromText(row.filters()), trigger, row.destNamespace(),
                row.destNamespaceReplaceCount(), row.override(), row.replicateDeletion(), row.copyReferrers(),
                row.bandwidthLimitKiBps(), row.concurrency(), row.enabled(), row.rewriteSparseIndex(), row.createdAt(),
                row.updatedAt());
    }

    private void record(Handle h, String action, String name, String detail) {
        Instant now = clock.instant();
        AuditLog.record(h, AuditEntry.of(now, actor, action, RESOURCE_TYPE, name, null, true, detail));
    }

    private static RegistryException missing(long id) {
        return new RegistryException(ErrorCode.NO_SUCH_RESOURCE, "there is no replication policy with id " + id);
    }

    private static RegistryException nameTaken(String name) {
        return new RegistryException(ErrorCode.CONFLICT, "a replication policy named '" + name + "' exists already:"
                + " choose another name, or change that one");
    }
}
