package io.berth.admin.api;

import io.berth.admin.api.ApiClient.Answer;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.berth.admin.api.ApiClient.json;
import static io.berth.admin.api.ErrorShapeTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The auth settings the admin API follows: {@code projectCreation: adminOnly} and {@code selfRegistration: true}. */
@ExtendWith(DropwizardExtensionsSupport.class)
class SettingsApiTest {
    private static final ApiApp APP = new ApiApp(ConfigOverride.config("auth.projectCreation", "adminOnly"),
            ConfigOverride.config("auth.selfRegistration", "true"));
    static final DropwizardAppExtension<?> EXTENSION = APP.extension;

    @Test
    void withSelfRegistration_anyoneCreatesAnAccount_butNeverAnAdmins() {
        String eve = ApiApp.unique("eve");

        Answer registered = APP.api().post("/api/v1/users", json("username", eve, "password", ApiApp.PASSWORD));

        assertEquals(201, registered.status(), registered.toString());
        assertFalse(registered.json().get("sysadmin").asBoolean());
        ApiClient asEve = APP.api().as(ApiClient.basic(eve, ApiApp.PASSWORD));
        assertEquals(200, asEve.get("/api/v1/users/current").status());
        assertError(APP.api().post("/api/v1/users", json("username", ApiApp.unique("mallory"), "password",
                ApiApp.PASSWORD, "sysadmin", true)), 401, "UNAUTHORIZED");
        assertError(asEve.post("/api/v1/users", json("username", ApiApp.unique("mallory"), "password",
                ApiApp.PASSWORD, "sysadmin", true)), 403, "DENIED");
        assertError(APP.api().get("/api/v1/users"), 401, "UNAUTHORIZED");
    }

    @Test
    void withAdminOnlyCreation_usersMayNotCreateProjects_butAdminsMay() {
        ApiClient asUser = APP.user(ApiApp.unique("dev"));

        Answer refused = asUser.post("/api/v1/projects", json("name", ApiApp.unique("mine")));

        assertError(refused, 403, "DENIED");
        assertEquals(201, APP.admin().post("/api/v1/projects", json("name", ApiApp.unique("theirs"))).status());
    }
}
