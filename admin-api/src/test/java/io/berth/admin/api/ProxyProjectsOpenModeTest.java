package io.berth.admin.api;

import io.berth.admin.api.ApiClient.Answer;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.util.Map;

import static io.berth.admin.api.ApiClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With {@code auth.enabled: false} anyone creates proxy projects (as anyone may do anything), and
 * the registry port treats a project made a proxy as one at once, even when it had just looked the
 * name up and found no project.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ProxyProjectsOpenModeTest {
    private static final ApiApp APP = new ApiApp(ConfigOverride.config("auth.enabled", "false"));
    static final DropwizardAppExtension<?> EXTENSION = APP.extension;

    @Test
    void aProjectCreatedAsAProxy_isReadOnlyOnTheRegistryPort_atOnce() {
        String name = ApiApp.unique("hub");
        String blob = "/v2/" + name + "/app/blobs/sha256:" + "0".repeat(64);
        HttpResponse<String> lookedUp = Registry.request(APP, "DELETE", blob, null);
        assertEquals(404, lookedUp.statusCode(), "the registry looked the project up, and there is none yet: "
                + lookedUp.body());

        Answer created = APP.api().post("/api/v1/projects", json("name", name, "public", true,
                "proxy", Map.of("registryId", APP.registryEndpoint("docker-hub", "https://127.0.0.1:1"))));
        assertEquals(201, created.status(), created.toString());

        HttpResponse<String> push = Registry.request(APP, "POST", "/v2/" + name + "/app/blobs/uploads/", null);
        assertEquals(403, push.statusCode(), push.body());
        assertTrue(push.body().contains("proxy of its upstream"), push.body());
        assertEquals(403, Registry.request(APP, "DELETE", blob, null).statusCode());
    }
}
