package io.berth.store;

import io.berth.store.Inventory.ArtifactSummary;
import io.berth.store.error.ErrorCode;
import io.berth.store.meta.ProjectRow;
import io.berth.store.meta.RepositoryRow;
import io.berth.store.oci.Digest;
import io.berth.store.oci.RepositoryName;
import io.berth.store.testing.ManifestJson;
import io.berth.store.testing.OnH2AndPostgres;
import io.berth.store.testing.RegistryTestBase;
import io.berth.store.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static io.berth.store.testing.ManifestJson.OCI_CONFIG;
import static io.berth.store.testing.ManifestJson.OCI_MANIFEST;
import static io.berth.store.testing.ManifestJson.emptyConfig;
import static io.berth.store.testing.ManifestJson.subject;
import static io.berth.store.testing.ManifestJson.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** What the admin API lists: projects, repositories, artifacts with their tags; on both databases. */
@OnH2AndPostgres
class InventoryTest extends RegistryTestBase {
    InventoryTest(TestDatabase database) {
        super(database);
    }

    @Test
    void projects_listEachProjectWithItsRepositoryCount() throws IOException {
        Instant created = clock.instant();
        push(repo("beta/x"), "latest", image("x"));
        clock.advance(Duration.ofHours(1));
        push(repo("alpha/one"), "latest", image("one"));
        push(repo("alpha/two/nested"), "latest", image("two"));
        upload(repo("alpha/three"), utf8("blob only"));

        List<ProjectRow> projects = registry.inventory().projects(1, 100).items();

        assertEquals(List.of("alpha", "beta"), projects.stream().map(ProjectRow::name).toList());
        assertEquals(List.of(3L, 1L), projects.stream().map(ProjectRow::repositoryCount).toList());
        assertEquals(created, projects.get(1).createdAt());
        assertEquals(created.plus(Duration.ofHours(1)), projects.get(0).createdAt());
    }

    @Test
    void projects_ofEmptyRegistry_isEmpty() {
        assertEquals(List.of(), registry.inventory().projects(1, 100).items());
    }

    @Test
    void repositories_listThoseOfTheProjectWithArtifactAndTagCounts() throws IOException {
        RepositoryName one = repo("alpha/one");
        Image first = image("first");
        push(one, "latest", first);
        put(one, "v1", first.manifest(), OCI_MANIFEST);
        push(one, image("second").digest().toString(), image("second"));
        upload(repo("alpha/empty"), utf8("only a blob"));
        push(repo("beta/x"), "latest", image("x"));

        List<RepositoryRow> repositories = registry.inventory().repositories("alpha", 1, 100).map(Inventory.Listing::items).orElseThrow();

        assertEquals(List.of("alpha/empty", "alpha/one"), repositories.stream().map(RepositoryRow::name).toList());
        assertEquals(List.of(0L, 2L), repositories.stream().map(RepositoryRow::artifactCount).toList());
        assertEquals(List.of(0L, 2L), repositories.stream().map(RepositoryRow::tagCount).toList());
    }

    @Test
    void repositories_ofProjectWithoutRepositories_isEmptyList() {
        createProject("empty");

        assertEquals(Optional.of(List.of()), registry.inventory().repositories("empty", 1, 100).map(Inventory.Listing::items));
    }

    @Test
    void repositories_ofUnknownProject_isAbsent() {
        assertEquals(Optional.empty(), registry.inventory().repositories("nope", 1, 100).map(Inventory.Listing::items));
    }

    @Test
    void artifacts_listNewestFirstWithTagsTypesAndSubjects() throws IOException {
        RepositoryName app = repo("team/app");
        Instant t1 = clock.instant();
        Image base = image("base");
        push(app, "v1", base);
        put(app, "latest", base.manifest(), OCI_MANIFEST);
        clock.advance(Duration.ofMinutes(5));
        Image untagged = image("untagged");
        push(app, untagged.digest().toString(), untagged);
        clock.advance(Duration.ofMinutes(5));
        byte[] sig = utf8(ManifestJson.image(OCI_MANIFEST, emptyConfig(), "\"artifactType\":\"application/vnd.example.sig\","
                + subject(OCI_MANIFEST, base.digest().toString(), base.manifest().length)));
        put(app, "sig", sig, OCI_MANIFEST);

        List<ArtifactSummary> artifacts = registry.inventory().artifacts(app, 1, 100).items();

        assertEquals(3, artifacts.size());
        ArtifactSummary newest = artifacts.get(0);
        assertEquals(Digest.sha256(sig).toString(), newest.digest());
        assertEquals("application/vnd.example.sig", newest.artifactType());
        assertEquals(base.digest().toString(), newest.subjectDigest());
        assertEquals(List.of("sig"), newest.tags());
        assertEquals(t1.plus(Duration.ofMinutes(10)), newest.pushedAt());

        ArtifactSummary middle = artifacts.get(1);
        assertEquals(untagged.digest().toString(), middle.digest());
        assertEquals(List.of(), middle.tags());

        ArtifactSummary oldest = artifacts.get(2);
        assertEquals(base.digest().toString(), oldest.digest());
        assertEquals(OCI_MANIFEST, oldest.mediaType());
        assertEquals(base.manifest().length, oldest.size());
        assertEquals(OCI_CONFIG, oldest.artifactType());
        assertNull(oldest.subjectDigest());
        assertEquals(List.of("latest", "v1"), oldest.tags());
        assertEquals(t1, oldest.pushedAt());
    }

    @Test
    void artifacts_ofRepositoryWithoutManifests_isEmpty() throws IOException {
        upload(repo("team/app"), utf8("only a blob"));

        assertEquals(List.of(), registry.inventory().artifacts(repo("team/app"), 1, 100).items());
    }

    @Test
    void artifacts_ofUnknownRepository_failWithNameUnknown() {
        assertFailure(ErrorCode.NAME_UNKNOWN, () -> registry.inventory().artifacts(repo("no/such"), 1, 100).items());
    }
}
