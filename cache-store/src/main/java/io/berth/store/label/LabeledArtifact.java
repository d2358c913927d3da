package io.berth.store.label;

import java.util.List;

/**
 * An artifact and the labels it carries after a change.
 *
 * @param repository the repository's full name
 * @param digest     the artifact's digest
 * @param labels     its label names, sorted
 * @param changed    whether the change did anything (adding a label it had, for one, does not)
 */
public record LabeledArtifact(String repository, String digest, List<String> labels, boolean changed) {
    public LabeledArtifact {
        labels = List.copyOf(labels);
    }
}
