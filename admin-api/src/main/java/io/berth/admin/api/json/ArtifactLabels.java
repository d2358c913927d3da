package io.berth.admin.api.json;

import io.berth.store.label.LabeledArtifact;

import java.util.List;

/** An artifact and the labels it now carries, as labelling answers. */
public record ArtifactLabels(String repository, String digest, List<String> labels) {
    public static ArtifactLabels of(LabeledArtifact artifact) {
        return new ArtifactLabels(artifact.repository(), artifact.digest(), artifact.labels());
    }
}
