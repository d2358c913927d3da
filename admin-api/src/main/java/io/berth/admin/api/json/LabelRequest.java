package io.berth.admin.api.json;

/** The body of {@code POST /repositories/{name}/artifacts/{reference}/labels}: {@code {"name":"prod"}}. */
public record LabelRequest(String name) {
}
