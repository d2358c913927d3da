package io.berth.store.transfer.imports;

import java.util.Objects;

/**
 * Where an image goes in the target registry.
 *
 * @param repository the target repository ({@code team/app})
 * @param tag        its tag there, or null when it is pushed by digest only
 */
public record Target(String repository, String tag) {
    public Target {
        Objects.requireNonNull(repository, "repository");
    }

    @Override
    public String toString() {
        return tag == null ? repository : repository + ":" + tag;
    }
}
