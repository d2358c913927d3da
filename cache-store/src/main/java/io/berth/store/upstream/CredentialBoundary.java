package io.berth.store.upstream;

import com.google.common.net.InetAddresses;
import com.google.common.net.InternetDomainName;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * Where an endpoint's credentials may go. The registry's own origin gets them on every request; a
 * token realm only when it sits on the same registrable domain as the registry
 * ({@code auth.docker.io} for {@code registry-1.docker.io}, by the public suffix list), and for an
 * IP address, {@code localhost} or a name outside any public suffix, only on the same host. Nothing
 * else, redirect targets included, ever sees them.
 */
final class CredentialBoundary {
    private CredentialBoundary() {
    }

    /** Whether {@code target} is the registry's own origin (scheme, host and port). */
    static boolean sameOrigin(URI registry, URI target) {
        return scheme(registry).equals(scheme(target)) && host(registry).equals(host(target))
                && port(registry) == port(target);
    }

    /** Whether a token realm at {@code realm} may receive the credentials of the registry at {@code registry}. */
    static boolean mayHoldToken(URI registry, URI realm) {
        String a = host(registry);
        String b = host(realm);
        if (a.isEmpty() || b.isEmpty()) {
            return false;
        }
        if (a.equals(b)) {
            return true;
        }
        if (isAddressOrLocal(a) || isAddressOrLocal(b)) {
            return false;
        }
        try {
            InternetDomainName da = InternetDomainName.from(a);
            InternetDomainName db = InternetDomainName.from(b);
            return da.isUnderPublicSuffix() && db.isUnderPublicSuffix()
                    && da.topPrivateDomain().equals(db.topPrivateDomain());
        } catch (IllegalArgumentException | IllegalStateException notADomain) {
            return false;
        }
    }

    /** The scheme, host and port of a URI, for messages: never its path, query or user info. */
    static String origin(URI uri) {
        String host = uri.getHost() == null ? "?" : uri.getHost();
        return scheme(uri) + "://" + (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host)
                + (uri.getPort() >= 0 ? ":" + uri.getPort() : "");
    }

    private static boolean isAddressOrLocal(String host) {
        return InetAddresses.isInetAddress(host) || host.equals("localhost") || host.endsWith(".localhost")
                || !host.contains(".");
    }

    private static String host(URI uri) {
        String host = uri.getHost();
        if (host == null) {
            return "";
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return host.toLowerCase(Locale.ROOT);
    }

    private static String scheme(URI uri) {
        return Objects.requireNonNullElse(uri.getScheme(), "").toLowerCase(Locale.ROOT);
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equals(scheme(uri)) ? 443 : 80;
    }
}
