package io.berth.admin.api;

import io.berth.admin.BerthApplicationTest;
import io.berth.admin.api.ApiClient.Answer;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static io.berth.admin.api.ApiClient.json;
import static io.berth.admin.api.ErrorShapeTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole application from conf/berth.yml in {@code auth.mode: ldap} against an in-memory
 * directory: a directory user signs in on the registry port (a token, then {@code /v2/}), the local
 * admin still signs in, and the LDAP check of the configured directory passes.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class LdapModeTest {
    private static final InMemoryLdap DIRECTORY = InMemoryLdap.start();
    private static final ApiApp APP = new ApiApp(
            ConfigOverride.config("auth.mode", "ldap"),
            ConfigOverride.config("auth.ldap.url", DIRECTORY.url()),
            ConfigOverride.config("auth.ldap.baseDn", InMemoryLdap.PEOPLE),
            ConfigOverride.config("auth.ldap.bindDn", InMemoryLdap.SERVICE_DN),
            ConfigOverride.config("auth.ldap.bindPassword", InMemoryLdap.SERVICE_PASSWORD));
    static final DropwizardAppExtension<?> EXTENSION = APP.extension;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @AfterAll
    static void stopDirectory() {
        DIRECTORY.close();
    }

    @Test
    void aDirectoryUser_getsATokenOnTheRegistryPort_thatOpensV2() throws Exception {
        HttpResponse<String> token = registry("/service/token?service=berth",
                ApiClient.basic(InMemoryLdap.USER, InMemoryLdap.USER_PASSWORD));
        assertEquals(200, token.statusCode(), token.body());

        String bearer = "Bearer " + ApiClient.JSON.readTree(token.body()).get("token").asText();
        assertEquals(200, Registry.v2(APP, bearer));
        assertEquals(401, registry("/service/token?service=berth", ApiClient.basic(InMemoryLdap.USER,
                "Not-Dora-Pass-1")).statusCode());
        Answer account = APP.admin().get("/api/v1/users/" + InMemoryLdap.USER);
        assertEquals("ldap", account.json().get("source").asText(), account.toString());
        assertEquals("dora@example.org", account.json().get("email").asText(), account.toString());
    }

    @Test
    void theLocalAdmin_stillSignsIn_onBothPorts() throws IOException {
        Answer me = APP.admin().get("/api/v1/users/current");

        assertEquals(200, me.status(), me.toString());
        assertEquals("admin", me.json().get("username").asText());
        assertEquals(200, Registry.v2(APP, BerthApplicationTest.adminBasic(APP.data)));
    }

    @Test
    void theLdapCheck_ofTheConfiguredDirectory_passes_andBorrowsItsPasswordOnlyForTheSameServer() throws Exception {
        Answer configured = APP.admin().send("POST", "/api/v1/ldap/ping", null, null);
        assertEquals(200, configured.status(), configured.toString());
        assertTrue(configured.json().get("ok").asBoolean(), configured.toString());

        Answer same = APP.admin().post("/api/v1/ldap/ping", json("url", DIRECTORY.url(), "baseDn",
                InMemoryLdap.PEOPLE, "bindDn", InMemoryLdap.SERVICE_DN));
        assertTrue(same.json().get("ok").asBoolean(), same.toString());
        Answer elsewhere = APP.admin().post("/api/v1/ldap/ping", json("url", "ldap://127.0.0.2:389", "baseDn",
                InMemoryLdap.PEOPLE, "bindDn", InMemoryLdap.SERVICE_DN));
        assertError(elsewhere, 400, "INVALID_INPUT");
        assertTrue(!same.body().contains(InMemoryLdap.SERVICE_PASSWORD)
                && !configured.body().contains(InMemoryLdap.SERVICE_PASSWORD));
    }

    private static HttpResponse<String> registry(String path, String authorization) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.registryPort + path))
                .header("Authorization", authorization).build(), HttpResponse.BodyHandlers.ofString());
    }
}
