package io.berth.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.berth.admin.replication.ReplicationSettings;
import io.dropwizard.core.Configuration;
import io.dropwizard.db.DataSourceFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** The whole of {@code conf/berth.yml}. */
public class BerthConfiguration extends Configuration {
    @Valid
    @NotNull
    @JsonProperty
    public RegistrySettings registry = new RegistrySettings();

    @Valid
    @NotNull
    @JsonProperty
    public StorageSettings storage = new StorageSettings();

    @Valid
    @NotNull
    @JsonProperty
    public ProjectSettings projects = new ProjectSettings();

    @Valid
    @NotNull
    @JsonProperty
    public AuthSettings auth = new AuthSettings();

    @Valid
    @NotNull
    @JsonProperty
    public EventSettings events = new EventSettings();

    @Valid
    @NotNull
    @JsonProperty
    public ProxyConfig proxy = new ProxyConfig();
    public EvictionSettings eviction = new EvictionSettings();

    @Valid
    @NotNull
    @JsonProperty
    public ReplicationSettings replication = new ReplicationSettings();

    @Valid
    @NotNull
    @JsonProperty
    public DataSourceFactory database = new DataSourceFactory();
}
