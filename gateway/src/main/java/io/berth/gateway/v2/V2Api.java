package io.berth.gateway.v2;

import io.berth.gateway.http.Route;
import io.berth.gateway.mirror.Mirrors;
import io.berth.store.Registry;

import java.util.ArrayList;
import java.util.List;

/** All routes of the OCI Distribution / Docker Registry V2 API, in matching order. */
public final class V2Api {
    private V2Api() {
    }

    /** The routes without mirror modes. */
    public static List<Route> routes(Registry registry) {
        return routes(registry, Mirrors.none());
    }

    /** @param mirrors told of every push and delete, which may create the project it names */
    public static List<Route> routes(Registry registry, Mirrors mirrors) {
        LocalOnly local = new LocalOnly(registry, mirrors);
        List<Route> routes = new ArrayList<>();
        routes.addAll(BaseRoute.routes());
        routes.addAll(ListingRoutes.routes(registry));
        routes.addAll(UploadRoutes.routes(registry, local));
        routes.addAll(BlobRoutes.routes(registry, local));
        routes.addAll(ManifestRoutes.routes(registry, local));
        return routes;
    }
}
