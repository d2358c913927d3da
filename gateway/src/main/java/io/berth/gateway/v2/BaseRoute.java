package io.berth.gateway.v2;

import io.berth.gateway.auth.Access;
import io.berth.gateway.http.Route;
import io.netty.handler.codec.http.HttpMethod;

import java.util.List;

/** {@code GET /v2/}: tells clients this is a V2 registry. */
final class BaseRoute {
    private BaseRoute() {
    }

    static List<Route> routes() {
        return List.of(
                Route.of("base", HttpMethod.GET, Paths.BASE, Access.none(), ex -> Json.send(ex, Json.object())),
                Route.of("base.head", HttpMethod.HEAD, Paths.BASE, Access.none(), ex -> Json.send(ex, Json.object())));
    }
}
