package io.berth.sync.execution;

import io.berth.store.upstream.Upstream;
import io.berth.store.upstream.UpstreamWriter;
import io.berth.sync.policy.ReplicationPolicy;

import java.util.List;
import java.util.Objects;

/**
 * The two registries of a policy as the agent reaches them, both through the V2 API's operations:
 * the registry endpoint a policy names, and for its null side this Berth itself, written through
 * its own registry port with an internal credential so that what replication writes goes through
 * the gateway's own push path (access, events, audit), and read in process. The composition root
 * implements it; the agent never sees the gateway.
 */
public interface ReplicationEndpoints {
    /** The source and destination of {@code policy}; NO_SUCH_RESOURCE when an endpoint is gone. */
    Ends of(ReplicationPolicy policy);

    /**
     * One side: its reader, its writer (the catalog is on the writer), for this Berth only its labels
     * (labels are Berth's own: a remote source has none to filter by), and whether its reader reads a
     * store that checked every blob's digest as it took the blob in (this Berth's own): blobs copied
     * from such a side are not hashed again on the way, since the destination checks the digest
     * before it keeps a blob anyway; blobs from any other source are checked as they are read.
     */
    record Side(String name, Upstream reader, UpstreamWriter writer, LabelLookup labels, boolean verifiedReads) {
        public Side {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(reader, "reader");
            Objects.requireNonNull(writer, "writer");
        }

        /** A side whose reads are checked on the way. */
        public Side(String name, Upstream reader, UpstreamWriter writer, LabelLookup labels) {
            this(name, reader, writer, labels, false);
        }
    }

    /** A policy's source and destination. */
    record Ends(Side source, Side destination) {
    }

    /** The labels an artifact of this Berth carries. */
    @FunctionalInterface
    interface LabelLookup {
        List<String> labels(String repository, String digest);
    }
}
