package io.berth.sync.policy;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;

import java.util.Arrays;

/**
 * How a policy names a source repository at the destination, as Harbor does: {@code destNamespace}
 * replaces the first {@code destNamespaceReplaceCount} path components of the source repository;
 * the last component (the image's own name) is always kept. For the source {@code a/b/c/image}
 * and the namespace {@code n}:
 * <pre>
 *   count -1  →  n/image          (all but the last replaced: flattened; the default)
 *   count  0  →  n/a/b/c/image    (nothing replaced: the namespace is put in front)
 *   count  1  →  n/b/c/image
 *   count  2  →  n/c/image
 *   count  3  →  n/image
 *   count  4  →  refused: a/b/c/image has only 3 components before its name
 * </pre>
 * Without a namespace (null or empty) the repository keeps its source name, whatever the count.
 */
public final class DestinationNames {
    /** Harbor's default: the namespace replaces every component but the last. */
    public static final int REPLACE_ALL = -1;

    private DestinationNames() {
    }

    /** The destination name of {@code repository}; INVALID_INPUT when the count is larger than its path. */
    public static String rewrite(String repository, String namespace, int replaceCount) {
        if (namespace == null || namespace.isEmpty()) {
            return repository;
        }
        String[] components = repository.split("/");
        int before = components.length - 1;
        String name = components[before];
        if (replaceCount < 0) {
            return namespace + "/" + name;
        }
        if (replaceCount > before) {
            throw new RegistryException(ErrorCode.INVALID_INPUT, "the source repository '" + repository + "' has "
                    + before + " path component" + (before == 1 ? "" : "s") + " before its name "
                    + Arrays.asList(components).subList(0, before) + ", fewer than the policy's"
                    + " destNamespaceReplaceCount " + replaceCount + ": lower the count, or use -1 to keep only"
                    + " the name under '" + namespace + "'");
        }
        StringBuilder result = new StringBuilder(namespace);
        for (int i = replaceCount; i < components.length; i++) {
            result.append('/').append(components[i]);
        }
        return result.toString();
    }
}
