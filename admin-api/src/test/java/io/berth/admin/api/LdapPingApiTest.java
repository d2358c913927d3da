package io.berth.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.admin.api.ApiClient.Answer;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static io.berth.admin.api.ApiClient.json;
import static io.berth.admin.api.ErrorShapeTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /api/v1/ldap/ping} in database mode: nothing configured to check without a body;
 * settings in the body checked against an in-memory directory, step by step, never echoing the
 * bind password; system admins only.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class LdapPingApiTest {
    private static final InMemoryLdap DIRECTORY = InMemoryLdap.start();
    private static final ApiApp APP = new ApiApp();
    static final DropwizardAppExtension<?> EXTENSION = APP.extension;

    @AfterAll
    static void stopDirectory() {
        DIRECTORY.close();
    }

    @Test
    void withoutABody_inDatabaseMode_saysLdapIsNotConfigured() {
        for (Answer answer : List.of(APP.admin().send("POST", "/api/v1/ldap/ping", null, null),
                APP.admin().post("/api/v1/ldap/ping", null))) {
            assertError(answer, 400, "INVALID_INPUT");
            assertTrue(answer.errorMessage().contains("ldap is not configured"), answer.toString());
        }
    }

    @Test
    void goodSettings_passEveryStep() {
        Answer answer = APP.admin().post("/api/v1/ldap/ping", settings(InMemoryLdap.SERVICE_PASSWORD));

        assertEquals(200, answer.status(), answer.toString());
        JsonNode ping = answer.json();
        assertTrue(ping.get("ok").asBoolean(), answer.toString());
        assertEquals(DIRECTORY.url(), ping.get("servers").asText());
        assertTrue(ping.get("millis").asLong() >= 0, answer.toString());
        assertEquals(List.of("connect", "bind", "baseDn", "users"), names(ping));
        assertTrue(ping.get("checks").get(1).get("detail").asText().contains(InMemoryLdap.SERVICE_DN),
                answer.toString());
    }

    @Test
    void aWrongBindPassword_failsAtBind_withoutRepeatingIt() {
        Answer answer = APP.admin().post("/api/v1/ldap/ping", settings("Not-The-Service-Pass"));

        assertEquals(200, answer.status(), answer.toString());
        assertFalse(answer.json().get("ok").asBoolean(), answer.toString());
        assertEquals(List.of("connect", "bind"), names(answer.json()));
        assertFalse(answer.json().get("checks").get(1).get("ok").asBoolean(), answer.toString());
        assertFalse(answer.body().contains("Not-The-Service-Pass"), answer.toString());
    }

    @Test
    void settingsThatCannotBeRight_areInvalidInput_namingTheSetting() {
        Answer noPassword = APP.admin().post("/api/v1/ldap/ping", json("url", DIRECTORY.url(), "baseDn",
                InMemoryLdap.PEOPLE, "bindDn", InMemoryLdap.SERVICE_DN));
        assertError(noPassword, 400, "INVALID_INPUT");
        assertTrue(noPassword.errorMessage().contains("auth.ldap.bindPassword"), noPassword.toString());
        assertError(APP.admin().post("/api/v1/ldap/ping", json("url", "http://example.org", "baseDn",
                InMemoryLdap.PEOPLE)), 400, "INVALID_INPUT");
        assertError(APP.admin().post("/api/v1/ldap/ping", json("url", DIRECTORY.url(), "baseDN",
                InMemoryLdap.PEOPLE)), 400, "INVALID_INPUT");
        assertError(APP.admin().post("/api/v1/ldap/ping", json("url", DIRECTORY.url(), "baseDn",
                InMemoryLdap.PEOPLE, "maxConnections", 0)), 400, "INVALID_INPUT");
    }

    @Test
    void onlySystemAdmins_mayCheck() {
        assertError(APP.user(ApiApp.unique("curious")).post("/api/v1/ldap/ping",
                settings(InMemoryLdap.SERVICE_PASSWORD)), 403, "DENIED");
        assertError(APP.api().post("/api/v1/ldap/ping", settings(InMemoryLdap.SERVICE_PASSWORD)), 401,
                "UNAUTHORIZED");
    }

    private static String settings(String bindPassword) {
        return json("url", DIRECTORY.url(), "baseDn", InMemoryLdap.PEOPLE, "bindDn", InMemoryLdap.SERVICE_DN,
                "bindPassword", bindPassword);
    }

    private static List<String> names(JsonNode ping) {
        List<String> names = new ArrayList<>();
        ping.get("checks").forEach(check -> names.add(check.get("name").asText()));
        return names;
    }
}
