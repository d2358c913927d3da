package io.berth.store.upstream;

import io.berth.store.Caller;
import io.berth.store.Inventory.Listing;
import io.berth.store.audit.AuditEntry;
import io.berth.store.audit.AuditLog;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.meta.Transactions;
import io.berth.store.proxy.ProxyProjectDao;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;

import java.net.URI;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The registry endpoints Berth may reach (the {@code registry_endpoint} table): created, read,
 * listed, changed and deleted, each change audited in its own transaction. Credentials are sealed
 * with a {@link SecretBox} before they reach the database, and come back decrypted in the
 * {@link RegistryEndpoint}s returned here, for the upstream client; whoever shows one to people
 * shows the credential's type and user name only. An endpoint a proxy project mirrors, or a
 * replication policy copies from or to, cannot be deleted. Methods block on the database.
 */
public final class RegistryEndpoints {
    private static final String RESOURCE_TYPE = "registry";
    private static final String FOREIGN_KEY_VIOLATION = "23503";

    private final Transactions tx;
    private final CredentialCodec credentials;
    private final Clock clock;
    private final Caller actor;

    /** Changes are audited as Berth's own until {@link #as} names who makes them. */
    public RegistryEndpoints(Transactions tx, SecretBox box, Clock clock) {
        this(tx, new CredentialCodec(box), clock, Caller.system("berth"));
    }

    private RegistryEndpoints(Transactions tx, CredentialCodec credentials, Clock clock, Caller actor) {
        this.tx = tx;
        this.credentials = credentials;
        this.clock = clock;
        this.actor = actor;
    }

    /** These endpoints, with the changes made through them audited as {@code who}'s. */
    public RegistryEndpoints as(Caller who) {
        return new RegistryEndpoints(tx, credentials, clock, who);
    }

    /** Stores a new endpoint; {@code INVALID_INPUT} for a bad field, {@code CONFLICT} for a name in use. */
    public RegistryEndpoint create(EndpointDraft draft) {
        Checked checked = check(draft);
        String sealed = credentials.seal(draft.credential());
        long id = tx.inTransaction(h -> {
            RegistryEndpointDao dao = h.attach(RegistryEndpointDao.class);
            if (dao.idOf(draft.name()).isPresent()) {
                throw nameTaken(draft.name());
            }
            long created = dao.insert(draft.name(), draft.type().wireName(), checked.urls(), draft.description(),
                    draft.insecure(), draft.caPem(), sealed, clock.instant());
            record(h, "create", draft.name(), describe(draft, checked.parsed(), null));
            return created;
        });
        return get(id);
    }

    /** The endpoint with this id, its credential decrypted; {@code NO_SUCH_RESOURCE} when there is none. */
    public RegistryEndpoint get(long id) {
        return tx.withHandle(h -> endpoint(h.attach(RegistryEndpointDao.class).byId(id).orElseThrow(() -> missing(id))));
    }

    /** A page of endpoints by name (from 1), and how many there are. */
    public Listing<RegistryEndpoint> list(int page, int pageSize) {
        long offset = (long) (page - 1) * pageSize;
        return tx.withHandle(h -> {
            RegistryEndpointDao dao = h.attach(RegistryEndpointDao.class);
            return new Listing<>(dao.list(pageSize, offset).stream().map(this::endpoint).toList(), dao.count());
        });
    }

    /**
     * Replaces an endpoint's settings with {@code draft}'s. With {@code keepCredential} the stored
     * credential stays as it is (and {@code draft}'s must be null); without it, {@code draft}'s
     * replaces it, and null removes it.
     */
    public RegistryEndpoint update(long id, EndpointDraft draft, boolean keepCredential) {
        if (keepCredential && draft.credential() != null) {
            throw new IllegalArgumentException("a credential to keep the stored one with");
        }
        Checked checked = check(draft);
        String sealed = keepCredential ? null : credentials.seal(draft.credential());
        tx.useTransaction(h -> {
            RegistryEndpointDao dao = h.attach(RegistryEndpointDao.class);
            dao.byId(id).orElseThrow(() -> missing(id));
            if (dao.idOf(draft.name()).filter(other -> other != id).isPresent()) {
                throw nameTaken(draft.name());
            }
            dao.update(id, draft.name(), draft.type().wireName(), checked.urls(), draft.description(), draft.insecure(),
                    draft.caPem(), clock.instant());
            String change = "kept";
            if (!keepCredential) {
                dao.setCredential(id, sealed);
                change = draft.credential() == null ? "removed" : "replaced";
            }
            record(h, "update", draft.name(), describe(draft, checked.parsed(), change));
        });
        return get(id);
    }

    /**
     * Deletes an endpoint; {@code CONFLICT} naming the proxy projects that mirror it and the
     * replication policies that use it, which must go (or use another endpoint) first.
     */
    public void delete(long id) {
        try {
            tx.useTransaction(h -> {
                RegistryEndpointDao dao = h.attach(RegistryEndpointDao.class);
                RegistryEndpointDao.Row row = dao.byId(id).orElseThrow(() -> missing(id));
                Users users = users(h, id);
                if (!users.isEmpty()) {
                    throw inUse(row.name(), users);
                }
                dao.delete(id);
                record(h, "delete", row.name(), null);
            });
        } catch (JdbiException e) {
            if (!isForeignKeyViolation(e)) {
                throw e;
            }
            // A proxy project or policy of it was created between the check and the delete.
            throw inUse(get(id).name(), tx.withHandle(h -> users(h, id)));
        }
    }

    private static Users users(Handle h, long id) {
        return new Users(h.attach(ProxyProjectDao.class).usersOf(id),
                h.attach(RegistryEndpointDao.class).policiesUsing(id));
    }

    private RegistryEndpoint endpoint(RegistryEndpointDao.Row row) {
        Credential credential;
        try {
            credential = credentials.open(row.credential());
        } catch (SecretBox.UnreadableSecretException e) {
            throw new RegistryException(ErrorCode.INTERNAL, "the credential of registry endpoint '" + row.name()
                    + "' (id " + row.id() + ") cannot be read: " + e.getMessage() + ". Restore the credential key"
                    + " it was stored with (proxy.credentialKey, BERTH_CREDENTIAL_KEY, or <storage root>/credential-key),"
                    + " or set the credential again (PUT /api/v1/registries/" + row.id() + ")");
        }
        return new RegistryEndpoint(row.id(), row.name(), RegistryEndpoint.Type.ofWireName(row.type()),
                EndpointUrls.split(row.urls()), row.insecure(), row.caPem(), credential, row.description());
    }

    private static Checked check(EndpointDraft draft) {
        EndpointRules.checkName(draft.name());
        if (draft.type() == null) {
            throw new RegistryException(ErrorCode.INVALID_INPUT, "the field 'type' is required: docker-hub or v2");
        }
        List<URI> urls = EndpointUrls.of(draft.type(), draft.urls());
        EndpointRules.checkDescription(draft.description());
        EndpointRules.checkCaPem(draft.caPem());
        EndpointRules.checkCredential(draft.credential());
        return new Checked(urls, EndpointUrls.join(urls));
    }

    /** The audit line's detail: what the endpoint now is, and what became of its credential; never a secret. */
    private static String describe(EndpointDraft draft, List<URI> urls, String credentialChange) {
        String credential = switch (draft.credential()) {
            case null -> "none";
            case Credential.Basic basic -> "basic (" + basic.username() + ")";
            case Credential.Token token -> "token";
        };
        return "type " + draft.type().wireName() + ", " + urls.stream().map(URI::toString).toList()
                + (draft.insecure() ? ", TLS not verified" : "")
                + ("kept".equals(credentialChange) ? ", credential kept" : ", credential " + credential
                + (credentialChange == null ? "" : " (" + credentialChange + ")"));
    }

    private void record(Handle h, String action, String name, String detail) {
        AuditLog.record(h, AuditEntry.of(clock.instant(), actor, action, RESOURCE_TYPE, name, null, true, detail));
    }

    private static boolean isForeignKeyViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && FOREIGN_KEY_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static RegistryException missing(long id) {
        return new RegistryException(ErrorCode.NO_SUCH_RESOURCE, "there is no registry endpoint with id " + id);
    }

    private static RegistryException nameTaken(String name) {
        return new RegistryException(ErrorCode.CONFLICT, "a registry endpoint named '" + name + "' exists already:"
                + " choose another name, or change that one");
    }

    private static RegistryException inUse(String name, Users users) {
        List<String> uses = new ArrayList<>();
        if (!users.projects().isEmpty()) {
            uses.add("mirrored by the proxy project" + (users.projects().size() == 1 ? " " : "s ")
                    + String.join(", ", users.projects()));
        }
        if (!users.policies().isEmpty()) {
            uses.add("used by the replication polic" + (users.policies().size() == 1 ? "y " : "ies ")
                    + String.join(", ", users.policies()));
        }
        boolean one = users.projects().size() + users.policies().size() == 1;
        return new RegistryException(ErrorCode.CONFLICT, "registry endpoint '" + name + "' is "
                + String.join(" and ", uses) + ": delete " + (one ? "it" : "them") + " first, or bind "
                + (one ? "it" : "them") + " to another endpoint");
    }

    /** What keeps an endpoint from being deleted: proxy projects mirroring it, replication policies using it. */
    private record Users(List<String> projects, List<String> policies) {
        boolean isEmpty() {
            return projects.isEmpty() && policies.isEmpty();
        }
    }

    /** An endpoint's URLs, parsed and as the column keeps them. */
    private record Checked(List<URI> parsed, String urls) {
    }
}
