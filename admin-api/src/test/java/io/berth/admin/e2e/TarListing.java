package io.berth.admin.e2e;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** What a tar holds, as {@code tar tf} lists it. */
final class TarListing {
    private TarListing() {
    }

    /** Every member's path. */
    static List<String> names(Path tar) {
        return Arrays.stream(Proc.ok(List.of("tar", "tf", tar.toString()), java.util.Map.of()).stdout().split("\n"))
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** The digests of the files under {@code blobs/<algorithm>/} ({@code sha256:<hex>}). */
    static List<String> blobs(Path tar) {
        return names(tar).stream().filter(n -> n.matches("blobs/[a-z0-9]+/[0-9a-f]+"))
                .map(n -> n.substring("blobs/".length()).replace('/', ':')).toList();
    }
}
