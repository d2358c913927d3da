package io.berth.gateway.http;

import io.berth.gateway.error.OciError;
import io.netty.handler.codec.http.HttpMethod;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/** Finds the route for a request: the first whose path matches and whose method fits. */
public final class Router {
    private final List<Route> routes;

    public Router(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    /** The outcome of routing: a route with its path parameters, or the error to answer with. */
    public record Match(Route route, Map<String, String> params, OciError error) {
    }

    public Match match(HttpMethod method, String path) {
        boolean pathKnown = false;
        for (Route route : routes) {
            Matcher m = route.match(path);
            if (m == null) {
                continue;
            }
            if (!route.method().equals(method)) {
                pathKnown = true;
                continue;
            }
            Map<String, String> params = new HashMap<>();
            for (String group : route.groups()) {
                params.put(group, m.group(group));
            }
            return new Match(route, params, null);
        }
        return new Match(null, Map.of(), pathKnown ? OciError.UNSUPPORTED : OciError.NOT_FOUND);
    }
}
