package io.berth.admin.api.json;

import java.util.List;

/**
 * The body of {@code POST /api/v1/projects/{name}/preheat}.
 *
 * @param references images in the proxy project to fetch, as {@code <repository>[:<tag>][@<digest>]}
 *                   named within the project ({@code library/nginx:1.27}); no tag means {@code latest}
 * @param platforms  which children of an index to fetch ({@code linux/amd64}, {@code linux/arm64/v8});
 *                   left out or empty: all of them
 */
public record PreheatRequestBody(List<String> references, List<String> platforms) {
}
