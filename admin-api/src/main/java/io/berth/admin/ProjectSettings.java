package io.berth.admin;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The {@code projects:} section. */
public class ProjectSettings {
    /** Create a project on the first push into it. */
    @JsonProperty
    public boolean autoCreate = true;
}
