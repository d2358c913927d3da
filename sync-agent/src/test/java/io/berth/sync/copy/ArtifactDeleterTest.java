package io.berth.sync.copy;

import io.berth.store.oci.Digest;
import io.berth.store.upstream.UpstreamException;
import io.berth.sync.copy.InMemoryRegistry.Deletes;
import org.junit.jupiter.api.Test;

import java.time.Clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deletion rules against destinations that delete differently: a tag is deleted by tag where
 * the destination allows it, by digest only when the source no longer has that manifest; a tag
 * pointing elsewhere is left alone when override is off; a destination without deletes fails
 * saying so.
 */
class ArtifactDeleterTest {
    private static final Digest X = InMemoryRegistry.digest("x");
    private static final Digest Y = InMemoryRegistry.digest("y");

    private final CopyLog log = new CopyLog(Clock.systemUTC());

    @Test
    void aDeletedTag_isDeletedByTag_whereTheDestinationAllowsIt_evenWhenTheSourceStillHasItsManifest()
            throws Exception {
        InMemoryRegistry source = new InMemoryRegistry(Deletes.TAGS_AND_DIGESTS).with("app", X, "v2");
        InMemoryRegistry destination = new InMemoryRegistry(Deletes.TAGS_AND_DIGESTS).with("app", X, "v1", "v2");

        assertTrue(deleter(source, destination, true).delete("app", "v1", X, "app", log));

        assertFalse(destination.hasTag("app", "v1"));
        assertTrue(destination.hasTag("app", "v2"), "only the tag");
        assertTrue(destination.hasManifest("app", X));
    }

    @Test
    void aDestinationThatIgnoresTagDeletes_isDeletedByDigest_onceTheSourceNoLongerHasIt() throws Exception {
        InMemoryRegistry source = new InMemoryRegistry(Deletes.TAGS_AND_DIGESTS);
        InMemoryRegistry destination = new InMemoryRegistry(Deletes.DIGESTS_ONLY_QUIETLY).with("app", X, "v1");

        assertTrue(deleter(source, destination, true).delete("app", "v1", X, "app", log));

        assertFalse(destination.hasManifest("app", X));
        assertTrue(log.text().contains("deleting by digest instead"), log.text());
    }

    @Test
    void aTagThatPointsElsewhere_isLeftAlone_whenOverrideIsOff() throws Exception {
        InMemoryRegistry source = new InMemoryRegistry(Deletes.TAGS_AND_DIGESTS);
        InMemoryRegistry destination = new InMemoryRegistry(Deletes.TAGS_AND_DIGESTS).with("app", Y, "v1");

        assertFalse(deleter(source, destination, false).delete("app", "v1", X, "app", log));

        assertTrue(destination.hasTag("app", "v1"));
        assertTrue(log.text().contains("override is off"), log.text());
    }

    @Test
    void aManifestDeletedByDigest_thatTheSourceHasAgain_isLeftAlone() throws Exception {
        InMemoryRegistry source = new InMemoryRegistry(Deletes.TAGS_AND_DIGESTS).with("app", X);
        InMemoryRegistry destination = new InMemoryRegistry(Deletes.TAGS_AND_DIGESTS).with("app", X, "v1");

        assertFalse(deleter(source, destination, true).delete("app", null, X, "app", log));

        assertTrue(destination.hasTag("app", "v1"));
    }

    @Test
    void aDestinationWithoutDeletes_failsSayingSo() {
        InMemoryRegistry source = new InMemoryRegistry(Deletes.TAGS_AND_DIGESTS);
        InMemoryRegistry destination = new InMemoryRegistry(Deletes.NONE).with("app", X, "v1");

        UpstreamException e = assertThrows(UpstreamException.class,
                () -> deleter(source, destination, true).delete("app", "v1", X, "app", log));

        assertEquals(UpstreamException.Kind.UNSUPPORTED, e.kind());
        assertTrue(e.getMessage().contains("the destination does not allow deletes"), e.getMessage());
        assertTrue(destination.hasTag("app", "v1"));
    }

    private static ArtifactDeleter deleter(InMemoryRegistry source, InMemoryRegistry destination, boolean override) {
        return new ArtifactDeleter(source, destination, destination, override);
    }
}
