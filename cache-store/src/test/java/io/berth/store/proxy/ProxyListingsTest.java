package io.berth.store.proxy;

import io.berth.store.Page;
import io.berth.store.error.ErrorCode;
import io.berth.store.oci.Descriptor;
import io.berth.store.oci.Digest;
import io.berth.store.oci.Reference;
import io.berth.store.testing.OnH2AndPostgres;
import io.berth.store.testing.TestDatabase;
import io.berth.store.upstream.UpstreamException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static io.berth.store.proxy.FakeUpstream.TAGS;
import static io.berth.store.testing.ManifestJson.OCI_INDEX;
import static io.berth.store.testing.ManifestJson.OCI_LAYER;
import static io.berth.store.testing.ManifestJson.OCI_MANIFEST;
import static io.berth.store.testing.ManifestJson.descriptor;
import static io.berth.store.testing.ManifestJson.emptyConfig;
import static io.berth.store.testing.ManifestJson.index;
import static io.berth.store.testing.ManifestJson.subject;
import static io.berth.store.testing.ManifestJson.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tag lists and referrers of a proxy project: from the upstream, or from the cache when it fails; on both databases. */
@OnH2AndPostgres
class ProxyListingsTest extends ProxyTestBase {
    private static final String REPO = "library/app";
    private static final String LOCAL = PROJECT + "/" + REPO;

    ProxyListingsTest(TestDatabase database) {
        super(database);
    }

    @Test
    void tags_comeFromTheUpstream_inLexicalOrder_pagedAndKeptBriefly() {
        for (String tag : List.of("b", "a", "c")) {
            upstreamImage(REPO, tag, image(tag));
        }

        Page<String> first = source(LOCAL).tags(null, 2);
        Page<String> second = source(LOCAL).tags("b", 2);

        assertEquals(List.of("a", "b"), first.items());
        assertTrue(first.more());
        assertEquals(List.of("c"), second.items());
        assertFalse(second.more());
        assertEquals(1, upstream.calls(TAGS));
    }

    @Test
    void tags_whenTheUpstreamFails_areTheCachedOnes() throws IOException {
        upstreamImage(REPO, "1.0", image("one"));
        upstreamImage(REPO, "2.0", image("two"));
        source(LOCAL).manifest(Reference.parse("1.0"));
        upstream.failWith(UpstreamException.Kind.UNREACHABLE);

        assertEquals(List.of("1.0"), source(LOCAL).tags(null, 10).items());
    }

    @Test
    void tags_whenTheUpstreamFailsAndNothingIsCached_areUnavailable() {
        upstream.failWith(UpstreamException.Kind.SERVER_ERROR);

        assertFailure(ErrorCode.UPSTREAM_UNAVAILABLE, () -> source(LOCAL).tags(null, 10));
    }

    @Test
    void tags_ofARepositoryNeitherUpstreamNorCached_areNameUnknown() {
        assertFailure(ErrorCode.NAME_UNKNOWN, () -> source(LOCAL).tags(null, 10));
    }

    /** A signature-like artifact whose subject is {@code subject}. */
    private static byte[] referrer(Digest subject, long size, String artifactType, String seed) {
        return utf8(io.berth.store.testing.ManifestJson.image(OCI_MANIFEST, emptyConfig(),
                "\"artifactType\":\"" + artifactType + "\"," + subject(OCI_MANIFEST, subject.toString(), size),
                descriptor(OCI_LAYER, utf8(seed))));
    }

    @Test
    void referrers_comeFromTheUpstreamsApi_filteredByArtifactType() {
        Image image = image("signed");
        Digest subject = upstreamImage(REPO, "1.0", image);
        byte[] signature = referrer(subject, image.manifest().length, "application/vnd.example.sig", "s");
        byte[] sbom = referrer(subject, image.manifest().length, "application/vnd.example.sbom", "b");
        upstream.putReferrers(subject, utf8(index(OCI_INDEX, null,
                descriptor(OCI_MANIFEST, signature).replace("}", ",\"artifactType\":\"application/vnd.example.sig\"}"),
                descriptor(OCI_MANIFEST, sbom).replace("}", ",\"artifactType\":\"application/vnd.example.sbom\"}"))));

        Page<Descriptor> all = source(LOCAL).referrers(subject, null, null, 10);
        Page<Descriptor> signatures = source(LOCAL).referrers(subject, "application/vnd.example.sig", null, 10);

        assertEquals(List.of(Digest.sha256(signature), Digest.sha256(sbom)).stream().sorted().toList(),
                all.items().stream().map(Descriptor::digest).toList());
        assertEquals(List.of(Digest.sha256(signature)), signatures.items().stream().map(Descriptor::digest).toList());
        assertEquals(0, count("SELECT COUNT(*) FROM artifact"), "referrers from the upstream store nothing");
    }

    @Test
    void referrers_withoutTheUpstreamsApi_areTheCachedOnes() throws IOException {
        Image image = image("signed");
        Digest subject = upstreamImage(REPO, "1.0", image);
        byte[] signature = referrer(subject, image.manifest().length, "application/vnd.example.sig", "s");
        Digest signatureDigest = upstream.putManifest(REPO, null, OCI_MANIFEST, signature);
        source(LOCAL).manifest(Reference.of(signatureDigest));

        Page<Descriptor> found = source(LOCAL).referrers(subject, null, null, 10);

        assertEquals(List.of(signatureDigest), found.items().stream().map(Descriptor::digest).toList());
        assertEquals("application/vnd.example.sig", found.items().get(0).artifactType());
    }
}
