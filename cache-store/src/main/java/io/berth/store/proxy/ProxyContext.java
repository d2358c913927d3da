package io.berth.store.proxy;

import io.berth.store.oci.RepositoryName;
import io.berth.store.upstream.Upstream;

/**
 * What serving one repository of a proxy project needs, worked out once and kept briefly: the
 * project's settings, its upstream's client, and the repository's local and upstream names
 * (already checked against the allowlist).
 */
record ProxyContext(String project, ProxySettings settings, Upstream upstream, UpstreamNames names) {
    RepositoryName local() {
        return names.local();
    }

    String upstreamName() {
        return names.upstream();
    }

    /** The upstream's name for logs and messages (never its URL's credentials: endpoints carry none there). */
    String upstreamLabel() {
        return upstream.endpoint().name();
    }
}
