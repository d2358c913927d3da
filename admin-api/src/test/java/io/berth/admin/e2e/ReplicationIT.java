package io.berth.admin.e2e;

import io.berth.store.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replication between real processes, started by hand through the admin API: the Berth jar as site
 * A, a second Berth as site B (its own data folder, embedded database and ports; A signs in to it
 * as B's system robot with push rights) and CNCF Distribution 2.8. Push mode A → B, push mode
 * A → Distribution and pull mode Distribution → A each copy a multi-arch index, an image with a
 * signature and an SBOM referring to it, and an image with a 200 MiB layer; skopeo reads the same
 * manifest bytes on both sides and copies each image out of the destination; a second run sends no
 * blob. Then the policy's options, on the same processes: name and tag filters (with excludes),
 * a label filter, namespace rewriting and flattening, override off, and the platform filter.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicationIT {
    private static final long LARGE_LAYER = 200L << 20;

    @RegisterExtension
    static final BerthProcess siteA = new BerthProcess("replication-a");
    @RegisterExtension
    static final BerthProcess siteB = new BerthProcess("replication-b");

    private static DistributionProcess distribution;
    private static Path work;
    private static Skopeo skopeo;
    private static ReplicationImages images;
    private static ReplicationChecks checks;
    private static RegistrySite a;
    private static RegistrySite b;
    private static RegistrySite dist;
    /** Site B and Distribution as registry endpoints of site A. */
    private static long siteBOnA;
    private static long distributionOnA;

    @BeforeAll
    static void sitesWithImages() throws IOException {
        work = E2e.tempDir("replication");
        skopeo = Skopeo.require(work);
        distribution = DistributionProcess.start("replication");
        a = RegistrySite.of(siteA, "site A");
        b = RegistrySite.of(siteB, "site B");
        dist = RegistrySite.of(distribution);
        checks = new ReplicationChecks(skopeo, work);
        images = ReplicationImages.write(work.resolve("layout"), LARGE_LAYER);

        for (String project : new String[] {"site", "up", "filt", "ovr", "plat"}) {
            ReplicationApi.project(siteA, project);
        }
        for (String project : new String[] {"site", "mirror", "ovr", "labelled"}) {
            ReplicationApi.project(siteB, project);
        }
        String robotOfB = ReplicationApi.pushRobot(siteB, "site-a");
        siteBOnA = ReplicationApi.endpoint(siteA, "site-b", siteB.hostPort(), robotOfB);
        distributionOnA = ReplicationApi.endpoint(siteA, "distribution", distribution.hostPort(), null);

        images.push(skopeo, a, "site");
        images.push(skopeo, dist, "up");
    }

    @AfterAll
    static void cleanUp() {
        if (distribution != null) {
            distribution.close();
        }
        E2e.deleteTree(work);
    }

    @Test
    @Order(1)
    void pushModeToAnotherBerth_copiesEachImageByteExact_andASecondRunSendsNoBlob() throws IOException {
        long policy = ReplicationApi.pushPolicy(siteA, "to-site-b", siteBOnA, "[{\"type\":\"name\",\"value\":\"site/**\"}]", "");

        ReplicationApi.Execution first = ReplicationApi.run(siteA, policy);

        assertCopied(first, 3);
        assertArrived(a, "site", b, "site");
        assertSecondRunSendsNothing(policy, 3);
    }

    @Test
    @Order(2)
    void pushModeToDistribution_copiesEachImageByteExact_andASecondRunSendsNoBlob() throws IOException {
        long policy = ReplicationApi.pushPolicy(siteA, "to-distribution", distributionOnA,
                "[{\"type\":\"name\",\"value\":\"site/**\"}]", "");

        ReplicationApi.Execution first = ReplicationApi.run(siteA, policy);

        assertCopied(first, 3);
        assertArrived(a, "site", dist, "site");
        assertSecondRunSendsNothing(policy, 3);
    }

    /**
     * Distribution 2.8 has no referrers API: clients find an image's signatures and SBOMs under the
     * fallback tag {@code sha256-<hex>}, so a copy to it must write that tag (the "fallback
     * tag schema for registries without it"), also when the source has the referrers API.
     */
    @Test
    @Order(3)
    void pushModeToDistribution_listsTheReferrersUnderTheFallbackTag() {
        ReplicationChecks.assertListedAsReferrers(images, dist, "site/signed");
    }

    @Test
    @Order(4)
    void pullModeFromDistribution_copiesEachImageByteExact_andASecondRunSendsNoBlob() throws IOException {
        long policy = ReplicationApi.pullPolicy(siteA, "from-distribution", distributionOnA,
                "[{\"type\":\"name\",\"value\":\"up/**\"},{\"type\":\"tag\",\"value\":\"v*\"}]", "");

        ReplicationApi.Execution first = ReplicationApi.run(siteA, policy);

        assertCopied(first, 3);
        assertArrived(dist, "up", a, "up");
        assertSecondRunSendsNothing(policy, 3);
    }

    @Test
    @Order(5)
    void nameAndExcludedTagFilters_copyTheRest_flattenedIntoTheDestinationNamespace() throws IOException {
        seed(a, "filt/app:v1", 811);
        seed(a, "filt/app:v2", 812);
        seed(a, "filt/app:dev", 813);
        TestImages.Image lint = seed(a, "filt/tools/lint:v1", 814);
        seed(a, "filt/other:v1", 815);
        long policy = ReplicationApi.pushPolicy(siteA, "flatten", siteBOnA, "[{\"type\":\"name\",\"value\":"
                + "\"filt/{app,tools/**}\"},{\"type\":\"tag\",\"value\":\"dev\",\"decoration\":\"excludes\"}]",
                ",\"destNamespace\":\"mirror\",\"destNamespaceReplaceCount\":-1");

        ReplicationApi.Execution execution = ReplicationApi.run(siteA, policy);

        assertEquals("Succeeded", execution.status(), execution::toString);
        assertEquals(List.of("mirror/app:v1", "mirror/app:v2", "mirror/lint:v1"), execution.destinations());
        assertEquals(404, b.v2().manifest("mirror/app", "dev").status(), "the excluded tag stays behind");
        assertEquals(404, b.v2().manifest("mirror/other", "v1").status(), "a name the filter does not match");
        checks.assertSameManifest(a, "filt/tools/lint:v1", b, "mirror/lint:v1", lint.manifestDigest());
    }

    @Test
    @Order(6)
    void namespaceReplacingOneComponent_keepsThePathBelowIt() {
        long policy = ReplicationApi.pushPolicy(siteA, "replace-one", siteBOnA,
                "[{\"type\":\"name\",\"value\":\"filt/tools/**\"}]",
                ",\"destNamespace\":\"mirror\",\"destNamespaceReplaceCount\":1");

        ReplicationApi.Execution execution = ReplicationApi.run(siteA, policy);

        assertEquals("Succeeded", execution.status(), execution::toString);
        assertEquals(List.of("mirror/tools/lint:v1"), execution.destinations());
        assertEquals(200, b.v2().manifest("mirror/tools/lint", "v1").status());
    }

    @Test
    @Order(7)
    void labelFilter_copiesOnlyTheLabelledArtifact() {
        AdminCalls.call(siteA, "POST", "/api/v1/repositories/filt/app/artifacts/v2/labels", "{\"name\":\"prod\"}", 201);
        long policy = ReplicationApi.pushPolicy(siteA, "labelled", siteBOnA, "[{\"type\":\"name\",\"value\":"
                + "\"filt/app\"},{\"type\":\"label\",\"value\":\"prod\"}]", ",\"destNamespace\":\"labelled\"");

        ReplicationApi.Execution execution = ReplicationApi.run(siteA, policy);

        assertEquals("Succeeded", execution.status(), execution::toString);
        assertEquals(List.of("labelled/app:v2"), execution.destinations());
    }

    @Test
    @Order(8)
    void overrideOff_leavesADestinationTagThatPointsElsewhere() throws IOException {
        TestImages.Image theirs = seed(b, "ovr/app:v1", 821);
        TestImages.Image ours = seed(a, "ovr/app:v1", 822);
        seed(a, "ovr/app:v2", 822);
        long policy = ReplicationApi.pushPolicy(siteA, "no-override", siteBOnA,
                "[{\"type\":\"name\",\"value\":\"ovr/**\"}]", ",\"override\":false");

        ReplicationApi.Execution execution = ReplicationApi.run(siteA, policy);

        assertEquals("Succeeded", execution.status(), execution::toString);
        assertEquals("Skipped", execution.task("ovr/app:v1").path("status").asText(), execution::toString);
        assertTrue(execution.logs().contains("override is off"), execution::toString);
        assertEquals(theirs.manifestDigest(), b.v2().manifest("ovr/app", "v1").digest(), "B's own v1 stays");
        assertEquals(ours.manifestDigest(), b.v2().manifest("ovr/app", "v2").digest(), "a new tag is copied");
    }

    /**
     * Neither Berth nor Distribution 2.8 accepts an index whose other children are missing (a Berth
     * setting for it is under way elsewhere), so the platform filter is shown against Distribution: the
     * selected child arrives, the other does not, and the task fails saying why, leaving no tag.
     */
    @Test
    @Order(9)
    void platformFilter_copiesTheSelectedChildOnly_andTheTaskSaysWhyTheIndexWasRefused() {
        images.pushTag(skopeo, a, "multi", "plat/multi:v1");
        long policy = ReplicationApi.pushPolicy(siteA, "arm64-only", distributionOnA, "[{\"type\":\"name\",\"value\":"
                + "\"plat/**\"},{\"type\":\"platform\",\"value\":[\"linux/arm64\"]}]", "");

        ReplicationApi.Execution execution = ReplicationApi.run(siteA, policy);

        assertEquals("Failed", execution.status(), execution::toString);
        assertTrue(execution.logs().contains("without the children the platform filter left out"), execution::toString);
        TestImages.Image amd64 = images.multi.images().get(0);
        TestImages.Image arm64 = images.multi.images().get(1);
        assertEquals(200, dist.v2().manifest("plat/multi", arm64.manifestDigest()).status(), "the selected child");
        assertEquals(404, dist.v2().manifest("plat/multi", amd64.manifestDigest()).status(), "not the other");
        assertEquals(404, dist.v2().manifest("plat/multi", "v1").status(), "nothing tagged");
    }

    /** A small image pushed to {@code site} as {@code repository:tag}. */
    private static TestImages.Image seed(RegistrySite site, String repositoryAndTag, long seed) throws IOException {
        int colon = repositoryAndTag.lastIndexOf(':');
        return images.pushSmall(site, repositoryAndTag.substring(0, colon), repositoryAndTag.substring(colon + 1), seed);
    }

    /** The execution succeeded with {@code tasks} tasks, each succeeded, and sent at least the large layer. */
    private static void assertCopied(ReplicationApi.Execution execution, int tasks) {
        assertEquals("Succeeded", execution.status(), execution::toString);
        assertEquals(tasks, execution.tasks().size(), execution::toString);
        execution.assertEveryTask("Succeeded");
        assertTrue(execution.bytes() >= LARGE_LAYER, () -> "the large layer was sent: " + execution);
    }

    private static void assertSecondRunSendsNothing(long policy, int tasks) {
        ReplicationApi.Execution second = ReplicationApi.run(siteA, policy);
        assertEquals("Succeeded", second.status(), second::toString);
        assertEquals(0, second.bytes(), second::toString);
        assertEquals(tasks, second.tasks().size(), second::toString);
        second.assertEveryTask("Skipped");
        assertEquals(tasks, second.view().path("skipped").asInt(), second::toString);
    }

    /**
     * The three images are at the destination with the source's bytes (skopeo reads the tagged
     * manifests, the V2 API the children and the referrers), a Berth lists the referrers, and skopeo
     * copies each image out of the destination.
     */
    private static void assertArrived(RegistrySite source, String sourceNs, RegistrySite dest, String destNs)
            throws IOException {
        checks.assertSameManifest(source, sourceNs + "/multi:v1", dest, destNs + "/multi:v1", images.multi.indexDigest());
        for (TestImages.Image child : images.multi.images()) {
            ReplicationChecks.assertSameBytes(source, sourceNs + "/multi", dest, destNs + "/multi", child.manifestDigest());
        }
        checks.assertCopiesOut(dest, destNs + "/multi:v1", true);

        checks.assertSameManifest(source, sourceNs + "/signed:v1", dest, destNs + "/signed:v1",
                images.signed.manifestDigest());
        ReplicationChecks.assertReferrersArrived(images, source, sourceNs + "/signed", dest, destNs + "/signed");
        if (dest.referrersApi()) {
            ReplicationChecks.assertListedAsReferrers(images, dest, destNs + "/signed");
        }
        checks.assertCopiesOut(dest, destNs + "/signed:v1", false);

        checks.assertSameManifest(source, sourceNs + "/large:v1", dest, destNs + "/large:v1", images.large.manifestDigest());
        checks.assertCopiesOut(dest, destNs + "/large:v1", false);
    }
}
