package io.berth.gateway.http;

import io.berth.store.error.ErrorCode;
import io.netty.handler.codec.http.HttpMethod;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * Finds the route for a request: the first whose path matches and whose method fits. A HEAD
 * request on a path that has only a GET route is answered by that route: the codec sends the
 * GET's headers without its body, as RFC 9110 asks of every GET resource.
 */
public final class Router {
    private final List<Route> routes;

    public Router(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    /**
     * The outcome of routing: a route with its path parameters, or the error to answer with and,
     * for a known path asked with the wrong method, the methods it does support (RFC 9110 requires
     * them in the 405's {@code Allow} header).
     */
    public record Match(Route route, Map<String, String> params, ErrorCode error, Set<String> allowed) {
    }

    public Match match(HttpMethod method, String path) {
        Set<String> allowed = new LinkedHashSet<>();
        Match getForHead = null;
        for (Route route : routes) {
            Matcher m = route.match(path);
            if (m == null) {
                continue;
            }
            if (route.method().equals(method)) {
                return found(route, m);
            }
            allowed.add(route.method().name());
            if (route.method().equals(HttpMethod.GET)) {
                allowed.add(HttpMethod.HEAD.name());
                if (method.equals(HttpMethod.HEAD) && getForHead == null) {
                    getForHead = found(route, m);
                }
            }
        }
        if (getForHead != null) {
            return getForHead;
        }
        return allowed.isEmpty() ? new Match(null, Map.of(), ErrorCode.NOT_FOUND, Set.of())
                : new Match(null, Map.of(), ErrorCode.UNSUPPORTED, allowed);
    }

    private static Match found(Route route, Matcher m) {
        Map<String, String> params = new HashMap<>();
        for (String group : route.groups()) {
            params.put(group, m.group(group));
        }
        return new Match(route, params, null, Set.of());
    }
}
