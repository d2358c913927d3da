package io.berth.sync.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a policy's filters let through: repositories by name, tags (matches and excludes, and
 * untagged artifacts), labels (every label filter must hold), and the children of an index by
 * platform; every filter of a kind must hold, and no filter keeps everything.
 */
class FiltersTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "name {0} {1}: {2} -> {3}")
    @CsvSource(delimiter = '|', emptyValue = "", textBlock = """
            team/**                  | matches  | team/app          | true
            team/**                  | matches  | ops/app           | false
            team/**                  | excludes | team/app          | false
            team/**                  | excludes | ops/app           | true
            library/{nginx,redis}    | matches  | library/redis     | true
            ''                       | matches  | anything/at/all   | true
            ''                       | excludes | anything/at/all   | true
            """)
    void nameFilter(String pattern, String decoration, String repository, boolean passes) {
        Filters filters = Filters.of(List.of(PolicyFilter.of(FilterType.NAME, List.of(pattern),
                Decoration.ofWireName(decoration))));

        assertEquals(passes, filters.repositoryPasses(repository));
    }

    @ParameterizedTest(name = "tag {0} {1}: {2} -> {3}")
    @CsvSource(delimiter = '|', emptyValue = "", textBlock = """
            v*              | matches  | v1.0      | true
            v*              | matches  | latest    | false
            v*              | excludes | v1.0      | false
            v*              | excludes | latest    | true
            *-rc*           | excludes | 2.0-rc1   | false
            {latest,stable} | matches  | stable    | true
            """)
    void tagFilter(String pattern, String decoration, String tag, boolean passes) {
        Filters filters = Filters.of(List.of(PolicyFilter.of(FilterType.TAG, List.of(pattern),
                Decoration.ofWireName(decoration))));

        assertEquals(passes, filters.tagPasses(tag));
    }

    @Test
    void untaggedArtifacts_passWhenTheTagPatternMatchesNothingAtAll_asInHarbor() {
        assertTrue(Filters.of(List.of()).untaggedPasses(), "no tag filter: everything");
        assertTrue(tags("*", Decoration.MATCHES).untaggedPasses());
        assertFalse(tags("v*", Decoration.MATCHES).untaggedPasses());
        assertTrue(tags("v*", Decoration.EXCLUDES).untaggedPasses());
    }

    @Test
    void anArtifact_isCopiedUnderTheTagsThatPass_andEveryTagFilterMustHold() {
        Filters filters = Filters.of(List.of(
                PolicyFilter.of(FilterType.TAG, List.of("v*"), Decoration.MATCHES),
                PolicyFilter.of(FilterType.TAG, List.of("*-rc*"), Decoration.EXCLUDES)));

        assertEquals(List.of("v1.0", "v1.1"), filters.tagsPassing(List.of("latest", "v1.0", "v2.0-rc1", "v1.1")));
        assertEquals(List.of(), filters.tagsPassing(List.of("latest")));
    }

    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @CsvSource(delimiter = '|', emptyValue = "", textBlock = """
            prod                     | prod,eu     | true
            prod                     | eu          | false
            prod                     | ''          | false
            prod;eu                  | prod,eu     | true
            prod;eu                  | prod        | false
            prod+eu                  | prod,eu,qa  | true
            prod+eu                  | prod        | false
            !prod                    | eu          | true
            !prod                    | prod        | false
            prod;!qa                 | prod,eu     | true
            prod;!qa                 | prod,qa     | false
            ''                       | ''          | true
            """)
    void labelFilters_allMustHold(String filterSpec, String carried, boolean passes) {
        List<PolicyFilter> filters = filterSpec.isEmpty() ? List.of() : Arrays.stream(filterSpec.split(";"))
                .map(spec -> PolicyFilter.of(FilterType.LABEL, List.of(spec.replace("!", "").split("\\+")),
                        spec.startsWith("!") ? Decoration.EXCLUDES : Decoration.MATCHES))
                .toList();
        Set<String> labels = carried.isEmpty() ? Set.of() : Set.of(carried.split(","));

        assertEquals(passes, Filters.of(filters).labelsPass(labels));
        assertEquals(!filters.isEmpty(), Filters.of(filters).needsLabels());
    }

    @Test
    void platformFilter_keepsTheNamedPlatformsChildren_nestedIndexes_andTheirAttestations() throws Exception {
        JsonNode index = JSON.readTree("""
                {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
                 {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:amd","size":1,
                  "platform":{"os":"linux","architecture":"amd64"}},
                 {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:arm64","size":1,
                  "platform":{"os":"linux","architecture":"arm64","variant":"v8"}},
                 {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:armv7","size":1,
                  "platform":{"os":"linux","architecture":"arm","variant":"v7"}},
                 {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:win","size":1,
                  "platform":{"os":"windows","architecture":"amd64"}},
                 {"mediaType":"application/vnd.oci.image.index.v1+json","digest":"sha256:nested","size":1},
                 {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:att-amd","size":1,
                  "platform":{"os":"unknown","architecture":"unknown"},
                  "annotations":{"vnd.docker.reference.type":"attestation-manifest",
                                 "vnd.docker.reference.digest":"sha256:amd"}},
                 {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:att-win","size":1,
                  "platform":{"os":"unknown","architecture":"unknown"},
                  "annotations":{"vnd.docker.reference.type":"attestation-manifest",
                                 "vnd.docker.reference.digest":"sha256:win"}},
                 {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:bare","size":1}]}
                """);

        assertEquals(List.of("sha256:amd", "sha256:arm64", "sha256:nested", "sha256:att-amd"),
                digests(platforms("linux/amd64", "linux/arm64").childrenPassing(index)));
        assertEquals(List.of("sha256:armv7", "sha256:nested"), digests(platforms("linux/arm/v7").childrenPassing(index)));
        assertEquals(List.of("sha256:nested"), digests(platforms("linux/arm/v6").childrenPassing(index)));
        assertEquals(8, Filters.of(List.of()).childrenPassing(index).size(), "no platform filter: every child");
        assertTrue(Filters.of(List.of()).platforms().isEverything());
        assertTrue(platforms("linux/arm64").platforms().passes(index.get("manifests").get(1).get("platform")));
        assertFalse(platforms("linux/arm64").platforms().passes(null));
    }

    @Test
    void filtersOfDifferentKinds_eachAnswerTheirOwnQuestion() {
        Filters filters = Filters.of(List.of(
                PolicyFilter.matching(FilterType.NAME, "team/**"),
                PolicyFilter.matching(FilterType.TAG, "v*"),
                PolicyFilter.matching(FilterType.LABEL, "prod"),
                PolicyFilter.of(FilterType.PLATFORM, List.of("linux/amd64"), null)));

        assertTrue(filters.repositoryPasses("team/app"));
        assertFalse(filters.repositoryPasses("ops/app"));
        assertTrue(filters.tagPasses("v2"));
        assertTrue(filters.labelsPass(Set.of("prod")));
        assertFalse(filters.platforms().isEverything());
    }

    private static Filters tags(String pattern, Decoration decoration) {
        return Filters.of(List.of(PolicyFilter.of(FilterType.TAG, List.of(pattern), decoration)));
    }

    private static Filters platforms(String... platforms) {
        return Filters.of(List.of(PolicyFilter.of(FilterType.PLATFORM, List.of(platforms), null)));
    }

    private static List<String> digests(List<JsonNode> entries) {
        return entries.stream().map(e -> e.get("digest").asText()).toList();
    }
}
