package io.berth.gateway.auth;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * What an access check gets to decide on: the request head's credentials and where it came from,
 * and the scopes its route needs. Nothing of the body, which is not read before the decision.
 *
 * @param method        the request method
 * @param path          the request path, without the query
 * @param authorization the {@code Authorization} header values (Basic or Bearer), in order; empty when none
 * @param host          the {@code Host} header, for a challenge's token realm; null when absent
 * @param remote        the client's socket address
 * @param secure        whether the request came over TLS (Basic credentials over plain HTTP may be refused)
 * @param scopes        what the route needs
 */
public record AccessRequest(String method, String path, List<String> authorization, String host,
                            InetSocketAddress remote, boolean secure, List<Scope> scopes) {
    public AccessRequest {
        authorization = List.copyOf(authorization);
        scopes = List.copyOf(scopes);
    }

    /** The client's address without the port (the form {@link io.berth.store.Caller} records), or null. */
    public String remoteAddress() {
        if (remote == null) {
            return null;
        }
        InetAddress address = remote.getAddress();
        return address != null ? address.getHostAddress() : remote.getHostString();
    }
}
