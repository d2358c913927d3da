package io.berth.admin.replication;

import io.berth.admin.LocalRegistry;
import io.berth.store.content.InProcessUpstream;
import io.berth.store.content.RepositoryResolver;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.meta.Transactions;
import io.berth.store.upstream.Credential;
import io.berth.store.upstream.RegistryClient;
import io.berth.store.upstream.RegistryEndpoint;
import io.berth.store.upstream.RegistryEndpoints;
import io.berth.store.upstream.Upstream;
import io.berth.store.upstream.UpstreamClients;
import io.berth.store.upstream.UpstreamFactory;
import io.berth.sync.execution.ReplicationEndpoints;
import io.berth.sync.policy.ReplicationPolicy;

import java.util.function.Supplier;

/**
 * The two sides of a policy in a running Berth: a registry endpoint through the shared upstream
 * clients, and this Berth itself. What replication writes here goes through a client of its own
 * registry port ({@link LocalRegistry}), signed in with the replication agent's credential (none
 * with authentication off), so that it takes the gateway's push path (access, events, audit) like
 * any push; what it reads here (manifests, blobs, tags, referrers, the HEADs that compare) is read
 * in process ({@link InProcessUpstream}), through the same content sources the gateway serves
 * from, without the round trip through HTTP. The self client is made on first use, once the
 * gateway listens.
 */
public final class BerthReplicationEndpoints implements ReplicationEndpoints, AutoCloseable {
    /** The name this Berth goes by in execution logs and errors. */
    public static final String THIS_BERTH = "this Berth";

    private final RegistryEndpoints endpoints;
    private final UpstreamFactory upstreams;
    private final LocalRegistry registry;
    private final Supplier<Credential> credential;
    private final LabelLookup labels;
    private final RepositoryResolver repositories;
    private volatile RegistryClient self;

    /**
     * @param registry   this Berth's registry port, reached on first use
     * @param credential what the agent signs in to this Berth with (null from it: none), asked on first use
     */
    public BerthReplicationEndpoints(RegistryEndpoints endpoints, UpstreamFactory upstreams, LocalRegistry registry,
                                     Supplier<Credential> credential, Transactions tx,
                                     RepositoryResolver repositories) {
        this.endpoints = endpoints;
        this.upstreams = upstreams;
        this.registry = registry;
        this.credential = credential;
        this.labels = new LocalLabels(tx);
        this.repositories = repositories;
    }

    @Override
    public Ends of(ReplicationPolicy policy) {
        return new Ends(side(policy.sourceRegistryId()), side(policy.destRegistryId()));
    }

    private Side side(Long endpointId) {
        if (endpointId == null) {
            RegistryClient client = self();
            return new Side(THIS_BERTH, new InProcessUpstream(repositories, client), client.writer(), labels, true);
        }
        RegistryEndpoint endpoint = endpoints.get(endpointId);
        Upstream upstream = upstreams.of(endpoint);
        if (!(upstream instanceof RegistryClient client)) {
            throw new RegistryException(ErrorCode.UNAVAILABLE, "registry endpoint '" + endpoint.name() + "' cannot"
                    + " be written to by this Berth's upstream clients");
        }
        return new Side(endpoint.name(), client, client.writer(), null);
    }

    private RegistryClient self() {
        RegistryClient client = self;
        if (client == null) {
            synchronized (this) {
                client = self;
                if (client == null) {
                    RegistryEndpoint here = registry.endpoint(THIS_BERTH, credential.get(),
                            "replication's own client of this Berth");
                    client = new RegistryClient(here, UpstreamClients.Options.defaults());
                    self = client;
                }
            }
        }
        return client;
    }

    @Override
    public void close() {
        RegistryClient client = self;
        if (client != null) {
            client.close();
        }
    }
}
