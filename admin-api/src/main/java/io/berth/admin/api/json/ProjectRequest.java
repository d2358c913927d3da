package io.berth.admin.api.json;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The body of {@code POST /projects} ({@code name} required, {@code public} false when absent,
 * {@code proxy} to create a proxy project, {@code allowSparseIndexes} false when absent) and of
 * {@code PUT /projects/{name}} ({@code public}, {@code proxy}, {@code allowSparseIndexes}, any of them;
 * a {@code name} there must be the project's own). {@code allowSparseIndexes}: accept a pushed index
 * whose child manifests the repository lacks, as a replica that receives only some platforms does.
 */
public record ProjectRequest(String name, @JsonProperty("public") Boolean isPublic, ProxyRequest proxy,
                             Boolean allowSparseIndexes) {
}
