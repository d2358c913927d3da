package io.berth.sync.policy;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.oci.RepositoryName;
import io.berth.sync.filter.FilterType;
import io.berth.sync.filter.PolicyFilter;

/** The checks of a {@link PolicyDraft} that need no database; each failure says what to change. */
public final class PolicyRules {
    public static final int DEFAULT_CONCURRENCY = 4;
    public static final int MAX_CONCURRENCY = 32;
    public static final int MAX_NAME_LENGTH = 255;
    public static final int MAX_DESCRIPTION_LENGTH = 1024;
    /** The largest replace count; Harbor keeps it in a signed byte. */
    public static final int MAX_REPLACE_COUNT = 127;

    private PolicyRules() {
    }

    /** INVALID_INPUT for the first field of {@code draft} that cannot be. */
    public static void check(PolicyDraft draft) {
        checkName(draft.name());
        if (draft.description() != null && draft.description().length() > MAX_DESCRIPTION_LENGTH) {
            throw invalid("the description is " + draft.description().length() + " characters long; the limit is "
                    + MAX_DESCRIPTION_LENGTH);
        }
        checkSides(draft.sourceRegistryId(), draft.destRegistryId());
        if (draft.filters().stream().filter(f -> f.type() == FilterType.PLATFORM).count() > 1) {
            throw invalid("give one platform filter listing every platform to copy, such as"
                    + " {\"type\":\"platform\",\"value\":[\"linux/amd64\",\"linux/arm64\"]}");
        }
        if (draft.trigger() == null) {
            throw invalid("the field 'trigger' is required: {\"type\":\"manual\"}, {\"type\":\"scheduled\",\"cron\":…}"
                    + " or {\"type\":\"event_based\"}");
        }
        checkNamespace(draft.destNamespace());
        int count = draft.destNamespaceReplaceCount();
        if (count < DestinationNames.REPLACE_ALL || count > MAX_REPLACE_COUNT) {
            throw invalid("destNamespaceReplaceCount is -1 (keep only the image's name under destNamespace) or how"
                    + " many leading path components destNamespace replaces, 0 to " + MAX_REPLACE_COUNT + "; not "
                    + count);
        }
        if (draft.concurrency() < 1 || draft.concurrency() > MAX_CONCURRENCY) {
            throw invalid("concurrency is how many artifacts are copied at once, 1 to " + MAX_CONCURRENCY
                    + " (default " + DEFAULT_CONCURRENCY + "); not " + draft.concurrency());
        }
        if (draft.bandwidthLimitKiBps() < 0) {
            throw invalid("bandwidthLimitKiBps is a limit in KiB/s, 0 for none; not " + draft.bandwidthLimitKiBps());
        }
    }

    private static void checkName(String name) {
        if (name == null || name.isBlank()) {
            throw invalid("the field 'name' is required");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw invalid("the name is " + name.length() + " characters long; the limit is " + MAX_NAME_LENGTH);
        }
        if (!name.equals(name.strip()) || name.chars().anyMatch(Character::isISOControl)) {
            throw invalid("the name '" + name.strip() + "' may not start or end with spaces, nor hold control"
                    + " characters");
        }
    }

    private static void checkSides(Long source, Long destination) {
        if (source == null && destination == null) {
            throw invalid("one side of a policy is another registry: give destRegistryId to push from this Berth to"
                    + " it, or sourceRegistryId to pull from it into this Berth (GET /api/v1/registries lists them)");
        }
        if (source != null && destination != null) {
            throw invalid("one side of a policy is this Berth: leave sourceRegistryId null to push from here to"
                    + " registry " + destination + ", or destRegistryId null to pull from registry " + source
                    + " into here");
        }
    }

    private static void checkNamespace(String namespace) {
        if (namespace == null || namespace.isEmpty()) {
            return;
        }
        try {
            RepositoryName.parse(namespace + "/x");
        } catch (RegistryException e) {
            throw invalid("destNamespace '" + namespace + "' is not the start of a repository name: use lower-case"
                    + " letters, digits and separators (., _, __, -) in components joined by '/', such as mirror or"
                    + " site-b/team");
        }
    }

    private static RegistryException invalid(String message) {
        return new RegistryException(ErrorCode.INVALID_INPUT, message);
    }
}
