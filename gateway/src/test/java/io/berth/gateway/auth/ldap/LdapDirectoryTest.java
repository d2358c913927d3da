package io.berth.gateway.auth.ldap;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static io.berth.gateway.auth.ldap.TestDirectory.DEVS;
import static io.berth.gateway.auth.ldap.TestDirectory.GROUPS;
import static io.berth.gateway.auth.ldap.TestDirectory.OPS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Finding users, checking their directory passwords and resolving their groups, against a real directory. */
class LdapDirectoryTest {
    private TestDirectory server;
    private LdapDirectory directory;

    @BeforeEach
    void start() throws Exception {
        server = TestDirectory.start();
        directory = new LdapDirectory(server.settings());
    }

    @AfterEach
    void stop() {
        directory.close();
        server.close();
    }

    @Test
    void theDirectoryPassword_signsIn_withTheEntrysNameMailAndGroups() {
        DirectoryUser alice = directory.authenticate("alice", "Alice-Pass-1").orElseThrow();

        assertEquals("uid=alice,ou=people,dc=example,dc=org", alice.dn());
        assertEquals("alice", alice.username());
        assertEquals("alice@example.org", alice.email());
        assertEquals(List.of(DEVS), alice.groupDns());
    }

    @Test
    void theSignInName_matchesWhateverItsCase_andTheDirectorysSpellingIsKept() {
        assertEquals("alice", directory.authenticate("ALICE", "Alice-Pass-1").orElseThrow().username());
    }

    @Test
    void aWrongPassword_anUnknownName_andAnEmptyPassword_signNobodyIn() {
        assertEquals(Optional.empty(), directory.authenticate("alice", "Bob-Pass-1"));
        assertEquals(Optional.empty(), directory.authenticate("mallory", "Alice-Pass-1"));
        assertEquals(Optional.empty(), directory.authenticate("alice", ""), "an empty password is no anonymous bind");
        assertEquals(Optional.empty(), directory.authenticate("", "Alice-Pass-1"));
    }

    @Test
    void filterSyntaxInAName_isOnlyAName() {
        // Unescaped, each would find alice's entry (or every entry) and her password would then bind.
        for (String name : List.of("*)(uid=*", "alic*", "*", "alice)(|(uid=*", "alice\\2a")) {
            assertEquals(Optional.empty(), directory.authenticate(name, "Alice-Pass-1"), name);
            assertEquals(Optional.empty(), directory.find(name), name);
        }
    }

    @Test
    void groupsFromMemberOf_goByDnAndName() {
        Set<String> groups = directory.groups(directory.find("alice").orElseThrow());

        assertTrue(groups.containsAll(Set.of(DEVS, "devs")), groups.toString());
        assertTrue(directory.groups(directory.find("bob").orElseThrow()).isEmpty());
    }

    @Test
    void groupsFromAGroupSearch_addThoseThatListTheUser() {
        try (LdapDirectory searching = new LdapDirectory(server.settings()
                .withGroupSearch(GROUPS, LdapSettings.DEFAULT_GROUP_FILTER))) {
            assertTrue(searching.groups(searching.find("carol").orElseThrow()).containsAll(Set.of(OPS, "ops")));
            Set<String> alices = searching.groups(searching.find("alice").orElseThrow());
            assertTrue(alices.containsAll(Set.of(DEVS, "devs")), alices.toString());
            assertFalse(alices.contains("ops"));
        }
    }

    @Test
    void aDirectoryThatIsDown_isUnavailable_notAWrongPassword() {
        server.stop();

        RegistryException down = assertThrows(RegistryException.class,
                () -> directory.authenticate("alice", "Alice-Pass-1"));
        assertEquals(ErrorCode.UNAVAILABLE, down.code());
        assertTrue(down.headers().containsKey("Retry-After"));
        assertTrue(down.getMessage().contains("local admin"), down.getMessage());
        assertFalse(down.getMessage().contains("127.0.0.1"), "the directory's address stays in the log");
    }

    @Test
    void aServiceAccountTheDirectoryRefuses_isUnavailable_andItsPasswordIsNeverRepeated() {
        LdapSettings wrong = LdapSettings.of(server.url(), TestDirectory.PEOPLE, TestDirectory.SERVICE_DN,
                "Not-The-Service-Pass");
        try (LdapDirectory misconfigured = new LdapDirectory(wrong)) {
            RegistryException refused = assertThrows(RegistryException.class,
                    () -> misconfigured.authenticate("alice", "Alice-Pass-1"));
            assertEquals(ErrorCode.UNAVAILABLE, refused.code());
            assertFalse(refused.getMessage().contains("Not-The-Service-Pass"));
            assertFalse(wrong.toString().contains("Not-The-Service-Pass"));
        }
    }

    @Test
    void aDirectoryThatComesBack_isUsedAgain_withoutARestartOfBerth() throws Exception {
        assertTrue(directory.authenticate("alice", "Alice-Pass-1").isPresent());
        server.stop();
        assertThrows(RegistryException.class, () -> directory.authenticate("alice", "Alice-Pass-1"));

        server.restart();
        assertTrue(directory.authenticate("alice", "Alice-Pass-1").isPresent());
    }
}
