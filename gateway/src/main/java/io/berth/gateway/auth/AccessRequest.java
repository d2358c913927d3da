package io.berth.gateway.auth;

import io.berth.gateway.mirror.MirrorRoute;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
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
 * @param optional      what the route could use but may go on without: a check grants these or not
 *                      (in the caller's {@link io.berth.store.Readable}) and never refuses for them
 * @param mirror        how a mirror mode routed the read (the scopes then name the repository that
 *                      serves it, and the client knows it by {@link MirrorRoute#requested}); null when
 *                      the request was not routed
 */
public record AccessRequest(String method, String path, List<String> authorization, String host,
                            InetSocketAddress remote, boolean secure, List<Scope> scopes, List<Scope> optional,
                            MirrorRoute mirror) {
    public AccessRequest {
        authorization = List.copyOf(authorization);
        scopes = List.copyOf(scopes);
        optional = List.copyOf(optional);
    }

    /** A request that was not routed by mirror modes. */
    public AccessRequest(String method, String path, List<String> authorization, String host,
                         InetSocketAddress remote, boolean secure, List<Scope> scopes, List<Scope> optional) {
        this(method, path, authorization, host, remote, secure, scopes, optional, null);
    }

    /** A request that asks for no optional scopes. */
    public AccessRequest(String method, String path, List<String> authorization, String host,
                         InetSocketAddress remote, boolean secure, List<Scope> scopes) {
        this(method, path, authorization, host, remote, secure, scopes, List.of(), null);
    }

    /**
     * A scope as the client names it: one on the repository a mirror mode serves the read from is on
     * the repository the client named (what it asks the token service for); any other as it is.
     */
    public Scope asRequested(Scope scope) {
        if (mirror == null || !mirror.mapped() || !scope.type().equals("repository")
                || !scope.name().equals(mirror.served().value())) {
            return scope;
        }
        return new Scope(scope.type(), mirror.requested().value(), scope.actions());
    }

    /** The {@code ns} the request was routed by, which a token request must carry too; null when none. */
    public String namespace() {
        return mirror == null ? null : mirror.namespace();
    }

    /**
     * The needed scopes and then the optional ones: what a challenge names, so that a client fetching
     * a token asks for everything the request could use (the token service grants what it may).
     */
    public List<Scope> allScopes() {
        if (optional.isEmpty()) {
            return scopes;
        }
        List<Scope> all = new ArrayList<>(scopes);
        all.addAll(optional);
        return List.copyOf(all);
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
