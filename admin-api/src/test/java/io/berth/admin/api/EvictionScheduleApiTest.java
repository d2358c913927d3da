package io.berth.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.admin.BerthApplicationTest;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The application runs eviction in the background on its own: a proxy project over its budget is
 * brought within it by the next run ({@code eviction.interval}, here its shortest), which its cache
 * usage then reports.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class EvictionScheduleApiTest {
    private static final ApiApp APP = new ApiApp(ConfigOverride.config("eviction.interval", "10s"));
    static final DropwizardAppExtension<?> EXTENSION = APP.extension;

    @Test
    void aProxyProjectOverItsBudget_isEvictedByTheNextScheduledRun() throws Exception {
        String project = ApiApp.unique("hub");
        APP.project(project, false);
        Registry.pushImage(APP, BerthApplicationTest.adminBasic(APP.data), project + "/library/app", "1");
        CachedProxies.makeProxy(APP, project, 1L);

        JsonNode usage = awaitFirstEviction(project);

        assertEquals(1, usage.get("lastEviction").get("artifacts").asLong(), usage.toString());
        assertEquals(0, usage.get("bytes").asLong(), usage.toString());
        assertEquals(0, usage.get("artifacts").asLong(), usage.toString());
        assertEquals(0, APP.admin().get("/api/v1/repositories/" + project + "/library/app/artifacts").json().size());
    }

    /** Asks for the cache's usage until it reports an eviction run; the deadline only turns a hang into a failure. */
    private static JsonNode awaitFirstEviction(String project) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            JsonNode usage = APP.admin().get("/api/v1/projects/" + project + "/cache").json();
            if (!usage.get("lastEviction").isNull()) {
                return usage;
            }
            Thread.sleep(500);
        }
        return fail("no eviction run reported");
    }
}
