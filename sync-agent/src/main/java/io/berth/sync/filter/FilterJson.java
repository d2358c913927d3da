package io.berth.sync.filter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A policy's filters as JSON, the API's shape and what the database keeps:
 * {@code [{"type":"name","value":"team/**"}, {"type":"tag","value":"v*","decoration":"excludes"},
 * {"type":"label","value":"prod"}, {"type":"platform","value":["linux/amd64","linux/arm64"]}]}.
 * A name or tag value is one string; a label value a string, or a list of labels that must all be
 * there; a platform value a list (one string is taken as a list of one).
 */
public final class FilterJson {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("type", "value", "decoration");

    private FilterJson() {
    }

    /** The filters as a JSON array; name, tag and label filters with their decoration. */
    public static ArrayNode write(List<PolicyFilter> filters) {
        ArrayNode array = JSON.createArrayNode();
        for (PolicyFilter filter : filters) {
            ObjectNode node = array.addObject().put("type", filter.type().wireName());
            boolean list = filter.type() == FilterType.PLATFORM
                    || filter.type() == FilterType.LABEL && filter.values().size() > 1;
            if (list) {
                ArrayNode values = node.putArray("value");
                filter.values().forEach(values::add);
            } else {
                node.put("value", filter.values().getFirst());
            }
            if (filter.decoration() != null) {
                node.put("decoration", filter.decoration().wireName());
            }
        }
        return array;
    }

    /** The filters of a JSON array (null or missing: none); INVALID_INPUT saying which is wrong and how. */
    public static List<PolicyFilter> read(JsonNode array) {
        if (array == null || array.isNull() || array.isMissingNode()) {
            return List.of();
        }
        if (!array.isArray()) {
            throw invalid("'filters' is a list of {\"type\",\"value\",\"decoration\"} objects");
        }
        List<PolicyFilter> filters = new ArrayList<>();
        int position = 0;
        for (JsonNode node : array) {
            position++;
            filters.add(readOne(node, position));
        }
        return filters;
    }

    /** The filters as the database keeps them. */
    public static String toText(List<PolicyFilter> filters) {
        try {
            return JSON.writeValueAsString(write(filters));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("filters that JSON cannot hold", e);
        }
    }

    /** The filters the database kept. */
    public static List<PolicyFilter> fromText(String text) {
        try {
            return read(JSON.readTree(text));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored filters are not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static PolicyFilter readOne(JsonNode node, int position) {
        String which = "filter " + position;
        if (!node.isObject()) {
            throw invalid(which + " is not an object: write {\"type\":…,\"value\":…}");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!FIELDS.contains(field)) {
                throw invalid(which + " has no field '" + field + "': a filter has type, value and decoration");
            }
        }
        JsonNode type = node.get("type");
        if (type == null || !type.isTextual()) {
            throw invalid(which + " needs a 'type': name, tag, label or platform");
        }
        FilterType parsedType;
        Decoration decoration;
        try {
            parsedType = FilterType.ofWireName(type.asText());
            JsonNode given = node.get("decoration");
            if (given != null && !given.isNull() && !given.isTextual()) {
                throw new IllegalArgumentException("a filter's decoration is 'matches' or 'excludes'");
            }
            decoration = given == null || given.isNull() ? null : Decoration.ofWireName(given.asText());
        } catch (IllegalArgumentException e) {
            throw invalid(which + ": " + e.getMessage());
        }
        return PolicyFilter.of(parsedType, values(node.get("value"), parsedType, which), decoration);
    }

    private static List<String> values(JsonNode value, FilterType type, String which) {
        if (value == null || value.isNull()) {
            throw invalid(which + " (" + type.wireName() + ") needs a 'value'");
        }
        if (value.isTextual()) {
            return List.of(value.asText());
        }
        if (value.isArray() && (type == FilterType.LABEL || type == FilterType.PLATFORM)) {
            List<String> values = new ArrayList<>();
            for (JsonNode item : value) {
                if (!item.isTextual()) {
                    throw invalid(which + " (" + type.wireName() + ") lists strings only, not " + item);
                }
                values.add(item.asText());
            }
            return values;
        }
        throw invalid(which + " (" + type.wireName() + ") takes " + switch (type) {
            case NAME, TAG -> "one pattern as a string";
            case LABEL -> "a label name, or a list of them";
            case PLATFORM -> "a list of platforms such as [\"linux/amd64\",\"linux/arm64\"]";
        } + ", not " + value);
    }

    private static RegistryException invalid(String message) {
        return new RegistryException(ErrorCode.INVALID_INPUT, message);
    }
}
