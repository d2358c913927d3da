package io.berth.gateway.v2;

import io.berth.gateway.testing.RegistryServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;

import static io.berth.gateway.testing.OciAssertions.assertHeader;
import static io.berth.gateway.testing.OciAssertions.assertStatus;
import static io.berth.gateway.testing.OciAssertions.json;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** end-1: {@code GET /v2/} tells a client that this is a registry implementing the spec. */
class BaseRouteTest {
    @RegisterExtension
    static final RegistryServer SERVER = new RegistryServer();

    @Test
    void get_answers200WithApiVersionHeader() {
        HttpResponse<byte[]> response = SERVER.client().get("/v2/");

        assertStatus(200, response);
        assertHeader("registry/2.0", response, "Docker-Distribution-API-Version");
        assertTrue(json(response.body()).isObject());
    }

    @Test
    void getWithoutTrailingSlash_answers200() {
        HttpResponse<byte[]> response = SERVER.client().get("/v2");

        assertStatus(200, response);
        assertHeader("registry/2.0", response, "Docker-Distribution-API-Version");
    }

    @Test
    void head_answers200WithoutBody() {
        HttpResponse<byte[]> response = SERVER.client().head("/v2/");

        assertStatus(200, response);
        assertHeader("registry/2.0", response, "Docker-Distribution-API-Version");
        assertTrue(response.body().length == 0);
    }
}
