package io.berth.store.transfer.archive;

import java.util.ArrayDeque;
import java.util.Deque;

/** Member names as extraction would place them: relative to the archive root, no {@code .} or {@code ..}. */
final class TarPaths {
    private TarPaths() {
    }

    /** {@code ./a//b/../c/} → {@code a/c}; a name that climbs above the root stays at the root. */
    static String normalize(String name) {
        Deque<String> parts = new ArrayDeque<>();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(part);
            }
        }
        return String.join("/", parts);
    }

    /** The member a symbolic link at {@code linkName} points to ({@code ../x/layer.tar} is relative to its folder). */
    static String resolveSymlink(String linkName, String target) {
        if (target.startsWith("/")) {
            return normalize(target);
        }
        int slash = linkName.lastIndexOf('/');
        return normalize((slash < 0 ? "" : linkName.substring(0, slash + 1)) + target);
    }
}
