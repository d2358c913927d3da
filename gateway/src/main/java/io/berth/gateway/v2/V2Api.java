package io.berth.gateway.v2;

import io.berth.gateway.http.Route;
import io.berth.store.Registry;

import java.util.ArrayList;
import java.util.List;

/** All routes of the OCI Distribution / Docker Registry V2 API, in matching order. */
public final class V2Api {
    private V2Api() {
    }

    public static List<Route> routes(Registry registry) {
        List<Route> routes = new ArrayList<>();
        routes.addAll(BaseRoute.routes());
        routes.addAll(ListingRoutes.routes(registry));
        routes.addAll(UploadRoutes.routes(registry));
        routes.addAll(BlobRoutes.routes(registry));
        routes.addAll(ManifestRoutes.routes(registry));
        return routes;
    }
}
