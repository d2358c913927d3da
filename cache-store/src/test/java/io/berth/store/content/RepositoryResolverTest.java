package io.berth.store.content;

import io.berth.store.error.ErrorCode;
import io.berth.store.oci.Reference;
import io.berth.store.oci.RepositoryName;
import io.berth.store.testing.OnH2AndPostgres;
import io.berth.store.testing.RegistryTestBase;
import io.berth.store.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Repository names resolve to handles by the kind of their project, on both databases. */
@OnH2AndPostgres
class RepositoryResolverTest extends RegistryTestBase {
    private final RepositoryName app = repo("team/app");

    RepositoryResolverTest(TestDatabase database) {
        super(database);
    }

    @Test
    void projectThatDoesNotExistYet_resolvesAsLocalAndWritable() {
        RepositoryHandle handle = registry.repositories().resolve(repo("new/app"));

        assertEquals(ProjectKind.LOCAL, handle.kind());
        handle.requireWritable();
    }

    @Test
    void handle_isCachedOnlyOnceResolved() {
        assertTrue(registry.repositories().cached(app).isEmpty(), "nothing known before the first resolve");

        registry.repositories().resolve(app);

        assertEquals(ProjectKind.LOCAL, registry.repositories().cached(app).orElseThrow().kind());
    }

    @Test
    void proxyProject_isReadOnlyButServesWhatItHolds() throws IOException {
        Image image = image("cached");
        push(app, "latest", image);
        registry.transactions().useTransaction(h -> h.execute("UPDATE project SET kind = 'proxy' WHERE name = 'team'"));
        registry.repositories().forget("team");

        RepositoryHandle handle = registry.repositories().resolve(app);

        assertEquals(ProjectKind.PROXY, handle.kind());
        assertFailure(ErrorCode.DENIED, handle::requireWritable);
        assertArrayEquals(image.manifest(), handle.content().manifest(Reference.parse("latest")).content());
        assertEquals(image.config().length, handle.content().blobSize(image.configDigest()).orElseThrow());
    }
}
