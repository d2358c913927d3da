package io.berth.sync.filter;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Filters as the API and the database write them: the contract's shapes read and written back, and mistakes named. */
class PolicyFilterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theContractExample_isReadAndWrittenBackAsGiven() throws Exception {
        String contract = "[{\"type\":\"name\",\"value\":\"team/**\",\"decoration\":\"matches\"},"
                + "{\"type\":\"tag\",\"value\":\"v*\",\"decoration\":\"excludes\"},"
                + "{\"type\":\"label\",\"value\":\"prod\",\"decoration\":\"matches\"},"
                + "{\"type\":\"platform\",\"value\":[\"linux/amd64\",\"linux/arm64\"]}]";

        List<PolicyFilter> filters = FilterJson.read(JSON.readTree(contract));

        assertEquals(List.of(
                new PolicyFilter(FilterType.NAME, List.of("team/**"), Decoration.MATCHES),
                new PolicyFilter(FilterType.TAG, List.of("v*"), Decoration.EXCLUDES),
                new PolicyFilter(FilterType.LABEL, List.of("prod"), Decoration.MATCHES),
                new PolicyFilter(FilterType.PLATFORM, List.of("linux/amd64", "linux/arm64"), null)), filters);
        assertEquals(JSON.readTree(contract), FilterJson.write(filters));
        assertEquals(filters, FilterJson.fromText(FilterJson.toText(filters)));
    }

    @Test
    void aMissingDecoration_isMatches_andSeveralLabels_orOnePlatform_areAccepted() throws Exception {
        List<PolicyFilter> filters = FilterJson.read(JSON.readTree("[{\"type\":\"name\",\"value\":\"a/*\"},"
                + "{\"type\":\"label\",\"value\":[\"prod\",\"eu\"]},{\"type\":\"platform\",\"value\":\"linux/amd64\"}]"));

        assertEquals(Decoration.MATCHES, filters.get(0).decoration());
        assertEquals(List.of("prod", "eu"), filters.get(1).values());
        assertEquals(List.of("linux/amd64"), filters.get(2).values());
        assertNull(filters.get(2).decoration());
        assertEquals("[\"prod\",\"eu\"]", FilterJson.write(filters).get(1).get("value").toString());
        assertTrue(FilterJson.read(null).isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            {"type":"name","value":"library/{nginx"}              | never closed
            {"type":"tag","value":"v[0-9"}                        | never closed
            {"type":"tag","value":["v1","v2"]}                    | one pattern as a string
            {"type":"name"}                                       | needs a 'value'
            {"type":"colour","value":"red"}                       | name, tag, label, platform
            {"value":"x"}                                         | needs a 'type'
            {"type":"tag","value":"v*","decoration":"include"}    | 'matches' or 'excludes'
            {"type":"tag","value":"v*","operator":"and"}          | no field 'operator'
            {"type":"label","value":"has space"}                  | not a label name
            {"type":"label","value":[1]}                          | strings only
            {"type":"platform","value":["linux"]}                 | os/architecture[/variant]
            {"type":"platform","value":["Linux/AMD64"]}           | lower case
            {"type":"platform","value":["linux/amd64"],"decoration":"excludes"} | takes no decoration
            "name"                                                | not an object
            """)
    void mistakes_areInvalidInput_sayingWhatToWrite(String filter, String saying) throws Exception {
        RegistryException e = assertThrows(RegistryException.class,
                () -> FilterJson.read(JSON.readTree("[" + filter + "]")));

        assertEquals(ErrorCode.INVALID_INPUT, e.code());
        assertTrue(e.getMessage().contains(saying), e.getMessage());
    }

    @Test
    void filtersThatAreNotAList_areRefused() throws Exception {
        RegistryException e = assertThrows(RegistryException.class,
                () -> FilterJson.read(JSON.readTree("{\"type\":\"name\",\"value\":\"x\"}")));

        assertTrue(e.getMessage().contains("a list of"), e.getMessage());
    }
}
