package io.berth.store.transfer.export;

import io.berth.store.error.RegistryException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageSelectorTest {
    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    @Test
    void eachSyntax_readsAsItsKind() {
        assertEquals(new ImageSelector.Tag("team/app", "1.4"), ImageSelector.parse("team/app:1.4"));
        assertInstanceOf(ImageSelector.ByDigest.class, ImageSelector.parse("team/app@" + DIGEST));
        ImageSelector pattern = ImageSelector.parse("team/app:/^v1\\./");
        assertTrue(pattern.takes("v1.2") && !pattern.takes("v2.0"));
        ImageSelector range = ImageSelector.parse("team/app:~1.2");
        assertInstanceOf(ImageSelector.TagRange.class, range);
        assertTrue(range.takes("1.2.5"));
        assertFalse(ImageSelector.parse("team/app:1.x").takes("1.2"), "a valid tag is a tag");
    }

    @Test
    void aListFile_skipsBlankAndCommentLines() {
        assertEquals(2, ImageSelector.parseLines(List.of("# images", "team/app:1.4", "", "  team/db:>=2 ")).size());
    }

    @Test
    void badSelectors_sayHowToWriteOne() {
        for (String bad : List.of("team/app", "Team/App:1", "team/app:/[/", "registry.example:5000/app")) {
            RegistryException e = assertThrows(RegistryException.class, () -> ImageSelector.parse(bad), bad);
            assertTrue(e.getMessage().contains("repo:tag"), e.getMessage());
        }
    }
}
