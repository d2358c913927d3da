package io.berth.store;

import io.berth.store.error.ErrorCode;
import io.berth.store.meta.SparseIndexDao;
import io.berth.store.oci.Reference;
import io.berth.store.oci.RepositoryName;
import io.berth.store.testing.OnH2AndPostgres;
import io.berth.store.testing.RegistryTestBase;
import io.berth.store.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static io.berth.store.testing.ManifestJson.OCI_INDEX;
import static io.berth.store.testing.ManifestJson.OCI_MANIFEST;
import static io.berth.store.testing.ManifestJson.descriptor;
import static io.berth.store.testing.ManifestJson.index;
import static io.berth.store.testing.ManifestJson.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A project that allows sparse indexes accepts a pushed index whose children it lacks (a replica of
 * some platforms), serves it byte-exact and answers MANIFEST_UNKNOWN for a missing child; the blobs
 * of an image manifest are required all the same, and other projects keep refusing such an index.
 */
@OnH2AndPostgres
class SparseIndexTest extends RegistryTestBase {
    private final RepositoryName replica = repo("replica/app");
    private final RepositoryName strict = repo("strict/app");

    SparseIndexTest(TestDatabase database) {
        super(database);
    }

    private void allowSparse(String project) {
        createProject(project);
        int changed = registry.transactions().inTransaction(h -> h.attach(SparseIndexDao.class).set(project, true));
        assertEquals(1, changed);
    }

    @Test
    void anIndexWithAMissingChild_isAccepted_inAProjectThatAllowsIt_andTheMissingChildIsUnknown() throws IOException {
        allowSparse("replica");
        Image arm64 = image("arm64");
        Image amd64 = image("amd64");
        push(replica, arm64.digest().toString(), arm64);
        byte[] index = utf8(index(OCI_INDEX, null, descriptor(OCI_MANIFEST, amd64.manifest()),
                descriptor(OCI_MANIFEST, arm64.manifest())));

        StoredManifest pushed = put(replica, "v1", index, OCI_INDEX);

        StoredManifest pulled = registry.manifests().get(replica, Reference.parse("v1"));
        assertEquals(pushed.digest(), pulled.digest());
        assertArrayEquals(index, pulled.content(), "stored byte-exact");
        assertEquals(arm64.digest(), registry.manifests().get(replica, Reference.parse(arm64.digest().toString()))
                .digest());
        assertFailure(ErrorCode.MANIFEST_UNKNOWN, () -> registry.manifests().get(replica,
                Reference.parse(amd64.digest().toString())));
    }

    @Test
    void anImageWithAMissingLayer_isRefused_evenWhereSparseIndexesAreAllowed() throws IOException {
        allowSparse("replica");
        Image image = image("incomplete");
        upload(replica, image.config());
        upload(replica, image.layers().getFirst());

        assertFailure(ErrorCode.MANIFEST_BLOB_UNKNOWN, () -> put(replica, "v2", image.manifest(), OCI_MANIFEST));
    }

    @Test
    void anIndexWithAMissingChild_isRefused_inAProjectThatDoesNotAllowIt_sayingHowToAllowIt() throws IOException {
        allowSparse("replica");
        Image child = image("child");
        push(strict, child.digest().toString(), child);
        byte[] index = utf8(index(OCI_INDEX, null, descriptor(OCI_MANIFEST, image("absent").manifest()),
                descriptor(OCI_MANIFEST, child.manifest())));

        assertFailure(ErrorCode.MANIFEST_BLOB_UNKNOWN, () -> put(strict, "v1", index, OCI_INDEX));
    }
}
