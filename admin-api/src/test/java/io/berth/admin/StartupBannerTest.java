package io.berth.admin;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The "is ready" block: addresses a newcomer can paste, whatever the bind address. */
class StartupBannerTest {

    @Test
    void wildcardBinds_showLocalhost_otherBindsShowThemselves() {
        assertEquals("localhost:5000", StartupBanner.hostPort("0.0.0.0", 5000));
        assertEquals("localhost:5000", StartupBanner.hostPort("::", 5000));
        assertEquals("localhost:8080", StartupBanner.hostPort(null, 8080));
        assertEquals("localhost:8080", StartupBanner.hostPort("", 8080));
        assertEquals("10.1.2.3:5000", StartupBanner.hostPort("10.1.2.3", 5000));
        assertEquals("registry.example:443", StartupBanner.hostPort("registry.example", 443));
        assertEquals("[fd00::1]:5000", StartupBanner.hostPort("fd00::1", 5000));
    }

    @Test
    void text_saysWhereToPushAndWhereTheApiHealthAndOpsAre() {
        String text = StartupBanner.text("0.1.0", "http://localhost:5000", "http://localhost:8080",
                "http://127.0.0.1:8081", true, new StartupBanner.SignIn.Existing());
        assertTrue(text.startsWith("Berth 0.1.0 is ready\n"), text);
        assertTrue(text.contains("http://localhost:5000   docker push localhost:5000/<project>/<image>:<tag>"), text);
        assertTrue(text.contains("admin API  http://localhost:8080/api/v1"), text);
        assertTrue(text.contains("health     http://localhost:8080/admin/healthcheck"), text);
        assertTrue(text.contains("ops        http://127.0.0.1:8081/admin/tasks, /admin/threads   (this host only)"), text);
    }

    @Test
    void text_withoutASeparateOpsPort_hasNoOpsLine_andTlsPushesToTheSameHost() {
        String text = StartupBanner.text("0.1.0", "https://registry.example:5000", "http://localhost:8080", null, false,
                new StartupBanner.SignIn.Existing());
        assertTrue(text.contains("docker push registry.example:5000/"), text);
        assertFalse(text.contains("ops "), text);
    }

    @Test
    void text_onAFirstStart_saysHowToSignIn_andShowsAGeneratedPasswordOnce() {
        String generated = StartupBanner.text("0.1.0", "http://localhost:5000", "http://localhost:8080", null, false,
                new StartupBanner.SignIn.AsAdmin("Gen3ratedPassw0rd", "data/initial-admin-password"));
        assertTrue(generated.contains("docker login localhost:5000 -u admin"), generated);
        assertTrue(generated.contains("(shown once, also in data/initial-admin-password): Gen3ratedPassw0rd"), generated);

        String fromEnv = StartupBanner.text("0.1.0", "http://localhost:5000", "http://localhost:8080", null, false,
                new StartupBanner.SignIn.AsAdmin(null, null));
        assertTrue(fromEnv.contains("(password from BERTH_ADMIN_PASSWORD)"), fromEnv);

        String open = StartupBanner.text("0.1.0", "http://localhost:5000", "http://localhost:8080", null, false,
                new StartupBanner.SignIn.Open());
        assertTrue(open.contains("sign-in    off"), open);
    }

    @Test
    void version_comesFromTheFilteredResource() {
        assertTrue(StartupBanner.version().matches("\\d+\\.\\d+\\.\\d+.*"), StartupBanner.version());
    }
}
