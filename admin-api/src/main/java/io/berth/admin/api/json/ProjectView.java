package io.berth.admin.api.json;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.berth.store.meta.ProjectRow;

import java.time.Instant;

/** A project as the API shows it. */
public record ProjectView(long id, String name, String kind, @JsonProperty("public") boolean isPublic,
                          Instant createdAt, long repositoryCount) {
    public static ProjectView of(ProjectRow row) {
        return new ProjectView(row.id(), row.name(), row.kind(), row.isPublic(), row.createdAt(), row.repositoryCount());
    }
}
