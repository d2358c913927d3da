package io.berth.store.transfer.export;

import io.berth.store.error.RegistryException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SemverRangeTest {
    private static final List<String> TAGS = List.of("1.1.9", "1.2", "1.2.0", "v1.2.7", "1.3.0", "1.2.8-rc.1",
            "1.2.8-alpine", "2.0.0", "0.3.1", "0.4.0", "latest", "1.2.3.4");

    private static List<String> taken(String range) {
        SemverRange r = SemverRange.parse(range);
        return TAGS.stream().filter(r::contains).toList();
    }

    @Test
    void tilde_keepsTheMinor() {
        assertEquals(List.of("1.2", "1.2.0", "v1.2.7"), taken("~1.2"));
    }

    @Test
    void caret_keepsTheFirstNonZeroPart() {
        assertEquals(List.of("1.2", "1.2.0", "v1.2.7", "1.3.0"), taken("^1.2.0"));
        assertEquals(List.of("0.3.1"), taken("^0.3"));
    }

    @Test
    void comparatorsAndAlternatives() {
        assertEquals(List.of("1.2", "1.2.0", "v1.2.7", "1.3.0", "2.0.0"), taken(">=1.2 <2 || =2.0.0"));
        assertEquals(List.of("1.1.9", "1.2", "1.2.0", "v1.2.7", "1.3.0"), taken("=1.x"));
        assertEquals(List.of("2.0.0"), taken(">1.3"));
    }

    @Test
    void prereleasesAndVariants_onlyWhenTheRangeNamesOne() {
        assertEquals(List.of("1.2.8-rc.1", "1.2.8-alpine"), taken(">=1.2.8-alpha <1.2.8"));
    }

    @Test
    void notAComparator_isRefusedNamingIt() {
        RegistryException e = assertThrows(RegistryException.class, () -> SemverRange.parse(">=1.2 <two"));
        assertEquals(true, e.getMessage().contains("'<two'"), e.getMessage());
    }
}
