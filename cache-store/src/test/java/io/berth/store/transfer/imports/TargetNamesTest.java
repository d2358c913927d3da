package io.berth.store.transfer.imports;

import io.berth.store.oci.Digest;
import io.berth.store.transfer.archive.ArchiveImage;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TargetNamesTest {
    private static final Digest DIGEST = Digest.sha256(new byte[0]);

    private static List<Target> targets(ImportRequest request, String... names) throws ImportException {
        return new TargetNames(request).of(new ArchiveImage(List.of(names), DIGEST,
                "application/vnd.oci.image.manifest.v1+json", 10));
    }

    @Test
    void fullReference_dropsTheRegistryHost() throws Exception {
        assertEquals(List.of(new Target("library/nginx", "1.27")),
                targets(ImportRequest.defaults(), "docker.io/library/nginx:1.27"));
        assertEquals(List.of(new Target("team/app", "1.0")),
                targets(ImportRequest.defaults(), "127.0.0.1:5000/team/app:1.0"));
        assertEquals(List.of(new Target("team/app", null)),
                targets(ImportRequest.defaults(), "localhost/team/app@" + DIGEST));
    }

    @Test
    void project_replacesTheFirstComponent_orPrefixesASingleName() throws Exception {
        ImportRequest p = ImportRequest.defaults().withProject("mirror");
        assertEquals(List.of(new Target("mirror/nginx", "1.27"), new Target("mirror/app", "2")),
                targets(p, "docker.io/library/nginx:1.27", "registry.example:5000/team/app:2"));
        assertEquals(List.of(new Target("mirror/nginx", "1")), targets(p, "myhost.local:5000/nginx:1"));
        assertEquals(List.of(new Target("mirror/a/b", "1")), targets(p, "x.io/team/a/b:1"));
    }

    @Test
    void bareTagsOrNoName_needName() throws Exception {
        ImportException e = assertThrows(ImportException.class, () -> targets(ImportRequest.defaults(), "1.0"));
        assertTrue(e.getMessage().contains("--name") && e.getMessage().contains("1.0"), e.getMessage());
        assertThrows(ImportException.class, () -> targets(ImportRequest.defaults()));
        assertEquals(List.of(new Target("given/repo", "1.0"), new Target("given/repo", "latest")),
                targets(ImportRequest.defaults().withName("given/repo:x"), "1.0", "latest"));
        assertEquals(List.of(new Target("given/repo", "x")), targets(ImportRequest.defaults().withName("given/repo:x")));
    }

    @Test
    void invalidRepository_failsSayingWhat() {
        ImportException e = assertThrows(ImportException.class,
                () -> targets(ImportRequest.defaults().withProject("Bad Project"), "docker.io/library/nginx:1"));
        assertTrue(e.getMessage().contains("--project"), e.getMessage());
    }
}
