package io.berth.admin.api;

import io.berth.admin.api.access.PermitAnonymous;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /api/v1/openapi.json}: the OpenAPI 3 description of this API, open to everyone.
 * Written by hand beside the resources; a test holds it to the routes Jersey actually serves, so
 * that neither can change without the other.
 */
@Path("/api/v1/openapi.json")
public final class OpenApiResource {
    /** Where the document is on the class path. */
    public static final String DOCUMENT = "/io/berth/admin/api/openapi.json";

    private final byte[] document;

    public OpenApiResource() {
        try (InputStream in = OpenApiResource.class.getResourceAsStream(DOCUMENT)) {
            if (in == null) {
                throw new IllegalStateException(DOCUMENT + " is missing from the class path");
            }
            this.document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @GET
    @PermitAnonymous
    @Produces(MediaType.APPLICATION_JSON)
    public byte[] document() {
        return document.clone();
    }
}
