package io.berth.admin.api.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.berth.store.meta.ProjectRow;
import io.berth.store.proxy.ProxySettings;

import java.time.Instant;

/**
 * A project as the API shows it; {@code proxy} only for a proxy project; {@code allowSparseIndexes}
 * whether it accepts indexes whose children it lacks.
 */
public record ProjectView(long id, String name, String kind, @JsonProperty("public") boolean isPublic,
                          Instant createdAt, long repositoryCount,
                          @JsonInclude(JsonInclude.Include.NON_NULL) ProxyView proxy, boolean allowSparseIndexes) {
    /** A project without proxy settings (a local one). */
    public static ProjectView of(ProjectRow row) {
        return of(row, null);
    }

    /** A project with its proxy settings, or null when it has none. */
    public static ProjectView of(ProjectRow row, ProxySettings proxy) {
        return new ProjectView(row.id(), row.name(), row.kind(), row.isPublic(), row.createdAt(), row.repositoryCount(),
                proxy == null ? null : ProxyView.of(proxy), row.allowSparseIndexes());
    }
}
