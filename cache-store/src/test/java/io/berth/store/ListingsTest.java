package io.berth.store;

import io.berth.store.error.ErrorCode;
import io.berth.store.oci.Descriptor;
import io.berth.store.oci.Digest;
import io.berth.store.oci.Reference;
import io.berth.store.oci.RepositoryName;
import io.berth.store.testing.ManifestJson;
import io.berth.store.testing.RegistryTestBase;
import io.berth.store.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

import static io.berth.store.testing.ManifestJson.OCI_MANIFEST;
import static io.berth.store.testing.ManifestJson.descriptor;
import static io.berth.store.testing.ManifestJson.emptyConfig;
import static io.berth.store.testing.ManifestJson.subject;
import static io.berth.store.testing.ManifestJson.utf8;
import static io.berth.store.testing.TestRegistries.TEST_CALLER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tag lists, the catalog and referrers, on both databases, and once more on a PostgreSQL database
 * with a language collation: listings keep the spec's lexical order even where the database's own
 * collation would not.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(TestDatabase.class)
class ListingsTest extends RegistryTestBase {
    /**
     * Inserted out of order; lexical (code point) order differs from natural, case-folded and
     * linguistic orders, and "A" and "a" are different tags.
     */
    private static final List<String> TAGS = List.of("v9", "latest", "v10", "1.0", "b", "A", "a", "_x", "v1.10", "v1.9");
    private static final String SIG = "application/vnd.example.signature.v1";
    private static final String SBOM = "application/vnd.example.sbom.v1";

    private final RepositoryName app = repo("team/app");

    ListingsTest(TestDatabase database) {
        super(database);
    }

    private static List<String> sorted(List<String> names) {
        List<String> copy = new ArrayList<>(names);
        copy.sort(null);
        return copy;
    }

    private void pushTags() throws IOException {
        Image image = image("tagged");
        push(app, TAGS.get(0), image);
        for (String tag : TAGS.subList(1, TAGS.size())) {
            put(app, tag, image.manifest(), OCI_MANIFEST);
        }
    }

    /** Follows pages of {@code limit} from the start, checking each page's more flag. */
    private static List<String> walk(BiFunction<String, Integer, Page<String>> list, int limit, int total) {
        List<String> all = new ArrayList<>();
        String last = null;
        while (true) {
            Page<String> page = list.apply(last, limit);
            all.addAll(page.items());
            assertTrue(page.items().size() <= limit);
            assertEquals(all.size() < total, page.more(), "more flag after " + all);
            if (!page.more()) {
                return all;
            }
            last = page.items().get(page.items().size() - 1);
        }
    }

    @Test
    void tags_areListedInLexicalOrder() throws IOException {
        pushTags();

        Page page = registry.listings().tags(app, null, 100);

        assertEquals(sorted(TAGS), page.items());
        assertEquals(List.of("1.0", "A", "_x", "a", "b", "latest", "v1.10", "v1.9", "v10", "v9"), page.items());
        assertFalse(page.more());
    }

    @Test
    void tags_pagedWithLimitAndLast_visitEachTagOnce() throws IOException {
        pushTags();

        for (int limit = 1; limit <= TAGS.size() + 1; limit++) {
            assertEquals(sorted(TAGS), walk((last, n) -> registry.listings().tags(app, last, n), limit, TAGS.size()),
                    "limit " + limit);
        }
    }

    @Test
    void tags_limitEqualToCount_saysNoMore() throws IOException {
        pushTags();

        assertFalse(registry.listings().tags(app, null, TAGS.size()).more());
        assertTrue(registry.listings().tags(app, null, TAGS.size() - 1).more());
    }

    @Test
    void tags_afterLastThatIsNoTag_startAfterItsPosition() throws IOException {
        pushTags();

        assertEquals(List.of("latest", "v1.10"), registry.listings().tags(app, "c", 2).items());
        assertEquals(List.of(), registry.listings().tags(app, "zzz", 10).items());
    }

    @Test
    void tags_withLimitZero_listNothing() throws IOException {
        pushTags();

        assertEquals(List.of(), registry.listings().tags(app, null, 0).items());
    }

    @Test
    void tags_ofRepositoryWithoutTags_isEmpty() throws IOException {
        upload(app, utf8("a blob creates the repository"));

        Page page = registry.listings().tags(app, null, 10);

        assertEquals(List.of(), page.items());
        assertFalse(page.more());
    }

    @Test
    void tags_ofUnknownRepository_failWithNameUnknown() {
        assertFailure(ErrorCode.NAME_UNKNOWN, () -> registry.listings().tags(repo("no/such"), null, 10));
    }

    @Test
    void tags_ofOneRepository_doNotIncludeAnothersTags() throws IOException {
        pushTags();
        push(repo("team/other"), "zzz-other", image("other"));

        assertFalse(registry.listings().tags(app, null, 100).items().contains("zzz-other"));
    }

    @Test
    void catalog_listsRepositoriesInLexicalOrderAcrossProjects() throws IOException {
        List<String> names = List.of("b/x", "a/z", "a/y/nested", "a-b/c", "a/y", "a0/q", "a.b/c", "a_b/c");
        for (String name : names) {
            upload(repo(name), utf8(name));
        }

        assertEquals(sorted(names), registry.listings().catalog(null, 100).items());
        for (int limit = 1; limit <= names.size() + 1; limit++) {
            assertEquals(sorted(names), walk((last, n) -> registry.listings().catalog(last, n), limit, names.size()),
                    "limit " + limit);
        }
    }

    @Test
    void catalog_ofEmptyRegistry_isEmpty() {
        Page page = registry.listings().catalog(null, 10);

        assertEquals(List.of(), page.items());
        assertFalse(page.more());
    }

    // ---- referrers -------------------------------------------------------------------

    private byte[] referrer(String artifactType, Image subjectImage, String annotations) {
        String extra = (artifactType == null ? "" : "\"artifactType\":\"" + artifactType + "\",")
                + subject(OCI_MANIFEST, subjectImage.digest().toString(), subjectImage.manifest().length)
                + (annotations == null ? "" : ",\"annotations\":" + annotations);
        return utf8(ManifestJson.image(OCI_MANIFEST, emptyConfig(), extra));
    }

    private Digest pushReferrer(RepositoryName repository, byte[] manifest) throws IOException {
        clock.advance(Duration.ofMinutes(1));
        return put(repository, Digest.sha256(manifest).toString(), manifest, OCI_MANIFEST).digest();
    }

    @Test
    void referrers_listEveryManifestWithThatSubject_byDigest() throws IOException {
        Image subjectImage = image("subject");
        push(app, "latest", subjectImage);
        byte[] sig = referrer(SIG, subjectImage, "{\"org.example.signer\":\"ci\"}");
        byte[] sbom = referrer(SBOM, subjectImage, null);
        pushReferrer(app, sig);
        pushReferrer(app, sbom);

        List<Descriptor> referrers = registry.listings().referrers(app, subjectImage.digest(), null, null, 1000).items();

        assertEquals(sorted(List.of(Digest.sha256(sig).toString(), Digest.sha256(sbom).toString())),
                referrers.stream().map(d -> d.digest().toString()).toList());
        Descriptor signature = referrers.stream().filter(d -> d.digest().equals(Digest.sha256(sig))).findFirst()
                .orElseThrow();
        assertEquals(OCI_MANIFEST, signature.mediaType());
        assertEquals(sig.length, signature.size());
        assertEquals(SIG, signature.artifactType());
        assertEquals("{\"org.example.signer\":\"ci\"}", signature.annotationsJson());
        assertNull(referrers.stream().filter(d -> d.digest().equals(Digest.sha256(sbom))).findFirst().orElseThrow()
                .annotationsJson());
    }

    @Test
    void referrers_withLargeAnnotations_comeInPagesWithinTheByteBudget() throws IOException {
        Image subjectImage = image("subject");
        push(app, "latest", subjectImage);
        String big = "x".repeat(300_000);
        List<String> pushed = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            pushed.add(pushReferrer(app, referrer(SIG, subjectImage, "{\"n\":\"" + i + big + "\"}")).toString());
        }

        List<String> seen = new ArrayList<>();
        String last = null;
        int pages = 0;
        while (true) {
            Page<Descriptor> page = registry.listings().referrers(app, subjectImage.digest(), null, last, 1000);
            pages++;
            long bytes = page.items().stream().mapToLong(d -> d.annotationsJson().length()).sum();
            assertTrue(page.items().size() == 1 || bytes <= Listings.REFERRERS_PAGE_BYTES, "page of " + bytes + " bytes");
            page.items().forEach(d -> seen.add(d.digest().toString()));
            if (!page.more()) {
                break;
            }
            last = page.items().getLast().digest().toString();
        }

        assertEquals(sorted(pushed), seen, "every referrer once, in digest order");
        assertTrue(pages >= 3, "10 x 300 KB of annotations need several 1 MiB pages, got " + pages);
    }

    @Test
    void referrers_pageOfN_saysMoreFollow() throws IOException {
        Image subjectImage = image("subject");
        push(app, "latest", subjectImage);
        for (int i = 0; i < 5; i++) {
            pushReferrer(app, referrer(SIG, subjectImage, "{\"n\":\"" + i + "\"}"));
        }

        Page<Descriptor> first = registry.listings().referrers(app, subjectImage.digest(), null, null, 2);
        Page<Descriptor> rest = registry.listings().referrers(app, subjectImage.digest(), null,
                first.items().getLast().digest().toString(), 10);

        assertEquals(2, first.items().size());
        assertTrue(first.more());
        assertEquals(3, rest.items().size());
        assertFalse(rest.more());
    }

    @Test
    void referrers_filteredByArtifactType_listOnlyThatType() throws IOException {
        Image subjectImage = image("subject");
        push(app, "latest", subjectImage);
        pushReferrer(app, referrer(SIG, subjectImage, null));
        Digest sbom = pushReferrer(app, referrer(SBOM, subjectImage, null));

        List<Descriptor> referrers = registry.listings().referrers(app, subjectImage.digest(), SBOM, null, 1000).items();

        assertEquals(List.of(sbom), referrers.stream().map(Descriptor::digest).toList());
        assertEquals(List.of(), registry.listings().referrers(app, subjectImage.digest(), "application/unknown", null, 1000).items());
    }

    @Test
    void referrers_withoutArtifactType_reportConfigMediaType() throws IOException {
        Image subjectImage = image("subject");
        push(app, "latest", subjectImage);
        byte[] config = utf8("{\"kind\":\"attestation\"}");
        upload(app, config);
        byte[] manifest = utf8(ManifestJson.image(OCI_MANIFEST, descriptor("application/vnd.example.config+json", config),
                subject(OCI_MANIFEST, subjectImage.digest().toString(), subjectImage.manifest().length)));
        pushReferrer(app, manifest);

        List<Descriptor> referrers = registry.listings().referrers(app, subjectImage.digest(), null, null, 1000).items();

        assertEquals(1, referrers.size());
        assertEquals("application/vnd.example.config+json", referrers.get(0).artifactType());
        assertEquals(1, registry.listings().referrers(app, subjectImage.digest(),
                "application/vnd.example.config+json", null, 1000).items().size());
    }

    @Test
    void referrers_ofSubjectWithoutReferrers_isEmpty() throws IOException {
        Image subjectImage = image("lonely");
        push(app, "latest", subjectImage);

        assertEquals(List.of(), registry.listings().referrers(app, subjectImage.digest(), null, null, 1000).items());
    }

    @Test
    void referrers_ofSubjectThatDoesNotExist_isEmpty() throws IOException {
        push(app, "latest", image("present"));

        assertEquals(List.of(), registry.listings().referrers(app, Digest.sha256(utf8("absent")), null, null, 1000).items());
    }

    @Test
    void referrers_pushedBeforeTheirSubject_areListed() throws IOException {
        Image subjectImage = image("late subject");
        Digest sig = pushReferrer(app, referrer(SIG, subjectImage, null));

        assertEquals(List.of(sig), registry.listings().referrers(app, subjectImage.digest(), null, null, 1000).items().stream()
                .map(Descriptor::digest).toList());
    }

    @Test
    void referrers_inUnknownRepository_isEmpty() {
        assertEquals(List.of(), registry.listings().referrers(repo("no/such"), Digest.sha256(utf8("x")), null, null, 1000).items());
    }

    @Test
    void referrers_ofAnotherRepository_areNotListed() throws IOException {
        Image subjectImage = image("subject");
        push(app, "latest", subjectImage);
        pushReferrer(repo("team/other"), referrer(SIG, subjectImage, null));

        assertEquals(List.of(), registry.listings().referrers(app, subjectImage.digest(), null, null, 1000).items());
    }

    @Test
    void referrers_deleted_areNoLongerListed() throws IOException {
        Image subjectImage = image("subject");
        push(app, "latest", subjectImage);
        Digest sig = pushReferrer(app, referrer(SIG, subjectImage, null));
        Digest sbom = pushReferrer(app, referrer(SBOM, subjectImage, null));

        registry.manifests().delete(app, Reference.of(sig), TEST_CALLER);

        assertEquals(List.of(sbom), registry.listings().referrers(app, subjectImage.digest(), null, null, 1000).items().stream()
                .map(Descriptor::digest).toList());
    }
}
