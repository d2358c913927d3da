package io.berth.admin;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.berth.admin.api.AdminApi;
import io.berth.admin.cli.ExportCommand;
import io.berth.admin.cli.ExportCommandException;
import io.berth.admin.cli.ImportCommand;
import io.berth.admin.cli.InventoryCommand;
import io.berth.admin.cli.ProjectCommand;
import io.berth.admin.cli.RegistryCommand;
import io.berth.admin.cli.RobotCommand;
import io.berth.admin.cli.UserCommand;
import io.berth.admin.cli.VerifyCommand;
import io.berth.admin.events.EventMetrics;
import io.berth.admin.events.EventsManager;
import io.berth.admin.health.DatabaseHealthCheck;
import io.berth.admin.health.DiskSpaceHealthCheck;
import io.berth.admin.health.StorageHealthCheck;
import io.berth.admin.imports.ImportJobs;
import io.berth.admin.imports.ImportSpool;
import io.berth.admin.proxy.ProxyMetrics;
import io.berth.admin.proxy.UpstreamMetrics;
import io.berth.admin.replication.BerthReplicationEndpoints;
import io.berth.admin.replication.ReplicationRobot;
import io.berth.admin.replication.ReplicationTriggers;
import io.berth.gateway.GatewayConfig;
import io.berth.gateway.auth.AccessCheck;
import io.berth.gateway.auth.AuthMode;
import io.berth.gateway.auth.Identity;
import io.berth.gateway.auth.check.Challenge;
import io.berth.gateway.auth.ldap.LdapSettings;
import io.berth.gateway.auth.token.SigningKey;
import io.berth.gateway.auth.token.TokenSettings;
import io.berth.gateway.http.Route;
import io.berth.gateway.mirror.MirrorNames;
import io.berth.gateway.mirror.MirrorSettings;
import io.berth.store.Registry;
import io.berth.store.audit.AuditConsumer;
import io.berth.store.audit.AuditLog;
import io.berth.store.blob.BlobStore;
import io.berth.store.blob.FilesystemBlobStore;
import io.berth.store.blob.FilesystemUploadStore;
import io.berth.store.blob.StoragePaths;
import io.berth.store.content.ProjectKind;
import io.berth.store.error.RegistryException;
import io.berth.store.event.EventConsumers;
import io.berth.store.event.EventLog;
import io.berth.store.event.EventRetention;
import io.berth.store.event.PullRecorder;
import io.berth.store.gc.BlobReclaimer;
import io.berth.store.gc.TaskLease;
import io.berth.store.proxy.ProxyCache;
import io.berth.store.proxy.eviction.CacheEviction;
import io.berth.store.proxy.eviction.ProxyCaches;
import io.berth.store.proxy.preheat.PreheatJobs;
import io.berth.store.upstream.Credential;
import io.berth.store.upstream.RegistryEndpoints;
import io.berth.store.upstream.UpstreamClients;
import io.berth.store.upstream.UpstreamFactory;
import io.berth.sync.execution.ExecutionStore;
import io.berth.sync.execution.Executions;
import io.berth.sync.policy.Policies;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.lifecycle.AutoCloseableManager;
import io.dropwizard.lifecycle.Managed;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Berth's composition root: opens the store, starts the registry endpoint, the upload janitor,
 * cache eviction and preheat jobs as managed objects, and serves the admin API, health checks and metrics.
 */
public final class BerthApplication extends Application<BerthConfiguration> {
    /** Reaches upstream registries (tests give a fake one); null: the real clients, made in {@link #run}. */
    private final UpstreamFactory upstreams;

    public BerthApplication() {
        this(null);
    }

    /** With {@code upstreams} reaching upstream registries (tests give a fake one). */
    public BerthApplication(UpstreamFactory upstreams) {
        this.upstreams = upstreams;
    }

    public static void main(String[] args) throws Exception {
        new BerthApplication().run(args);
    }

    /** A failed command exits 2 for a wrong command line, else 1 ({@link ExportCommandException#exitStatus}). */
    @Override
    protected void onFatalError(Throwable t) {
        System.exit(ExportCommandException.exitStatus(t));
    }

    @Override
    public String getName() {
        return "berth";
    }

    @Override
    public void initialize(Bootstrap<BerthConfiguration> bootstrap) {
        // ${NAME:-default} in the YAML takes NAME from the environment; nested defaults allowed.
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false, true)));
        bootstrap.addCommand(new UserCommand(System.getenv(), System.out));
        bootstrap.addCommand(new ProjectCommand(System.getenv(), System.out));
        bootstrap.addCommand(new RobotCommand(System.getenv(), System.out));
        bootstrap.addCommand(new RegistryCommand(System.getenv(), System.out));
        bootstrap.addCommand(new ExportCommand(System.getenv(), System.out));
        bootstrap.addCommand(new InventoryCommand(System.getenv(), System.out));
        bootstrap.addCommand(new VerifyCommand(System.getenv(), System.out));
        bootstrap.addCommand(new ImportCommand(System.out));
    }

    @Override
    public void run(BerthConfiguration config, Environment env) throws Exception {
        env.getObjectMapper().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        // A misspelt field is refused (400) rather than ignored, so "pubilc": true is not a silent no-op.
        env.getObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        if (config.getServerFactory() instanceof AbstractServerFactory server) {
            server.setRegisterDefaultExceptionMappers(false); // AdminApi registers its own: one error body
        }
        ManagedDataSource dataSource = config.database.build(env.metrics(), "database");
        env.lifecycle().manage(dataSource);

        Duration uploadExpiry = Duration.ofMillis(config.storage.uploadExpiry.toMilliseconds());
        StoragePaths paths = new StoragePaths(Path.of(config.storage.root));
        FilesystemBlobStore blobs = new FilesystemBlobStore(paths);
        Clock clock = Clock.systemUTC();
        Registry registry = Registry.open(dataSource, blobs, new FilesystemUploadStore(paths, blobs),
                new Registry.Options(config.projects.autoCreate, config.registry.maxManifestSize.toBytes(), uploadExpiry,
                        DatabaseAdmission.of(config.database), new PullRecorder.Options(
                        Duration.ofMillis(config.events.pullFlushInterval.toMilliseconds()), config.events.maxPendingPulls)),
                clock);

        // Stopped in reverse: the gateway first, then the pulls it counted are written, then the
        // event consumers release their leases, and the database closes last.
        EventConsumers consumers = new EventConsumers(registry.transactions(), clock, EventConsumers.Options.defaults());
        registry.outbox().onCommit(consumers::wakeUp);
        AuditLog audit = new AuditLog(registry.transactions());
        env.lifecycle().manage(new EventsManager(consumers,
                List.of(new EventMetrics(env.metrics()), new AuditConsumer(registry.transactions())),
                List.of(new EventRetention(new EventLog(registry.transactions()),
                                Duration.ofMillis(config.events.retention.toMilliseconds()), clock),
                        new EventRetention("audit log lines", audit::deleteOlderThan,
                                Duration.ofMillis(config.events.auditRetention.toMilliseconds()), clock))));
        env.lifecycle().manage(new AutoCloseableManager(registry));
        UpstreamFactory upstreams = this.upstreams;
        if (upstreams == null) {
            UpstreamClients clients = new UpstreamClients(UpstreamClients.Options.defaults());
            env.lifecycle().manage(new AutoCloseableManager(clients));
            clients.watch(new UpstreamMetrics(env.metrics()));
            upstreams = clients;
        }
        RegistryEndpoints endpoints = new RegistryEndpoints(registry.transactions(),
                config.proxy.credentialBox(paths.root()), clock);
        ProxyCache proxy = openProxyCache(config, registry, endpoints, upstreams, paths, clock, env);
        ProxyMetrics.register(env.metrics(), proxy.counters());
        PreheatJobs preheats = preheatJobs(registry, proxy, clock, env);
        GatewayConfig gatewayConfig = config.registry.toGatewayConfig();
        MirrorNames mirrors = new MirrorNames(registry.transactions(), mirrorSettings(config));
        AccessCheck access = AccessCheck.allowAll();
        List<Route> tokenRoutes = List.of();
        StartupBanner.SignIn signIn = new StartupBanner.SignIn.Open();
        Identity identity = null;
        if (config.auth.enabled) {
            identity = openIdentity(config, registry, paths, mirrors, clock);
            env.lifecycle().manage(new AutoCloseableManager(identity));
            access = identity.accessCheck();
            tokenRoutes = identity.routes();
            signIn = switch (InitialAdmin.ensure(identity.users(), System.getenv(InitialAdmin.ENV), paths.root())) {
                case InitialAdmin.Outcome.Existing e -> new StartupBanner.SignIn.Existing();
                case InitialAdmin.Outcome.FromEnvironment e -> new StartupBanner.SignIn.AsAdmin(null, null);
                case InitialAdmin.Outcome.Generated g -> new StartupBanner.SignIn.AsAdmin(g.password(),
                        g.file().toString());
            };
        }
        GatewayManager gateway = new GatewayManager(gatewayConfig, registry, access, mirrors, tokenRoutes,
                env.metrics());
        LocalRegistry localRegistry = new LocalRegistry(gatewayConfig, gateway::port);
        env.lifecycle().manage(gateway);
        long sweepSeconds = Math.max(60, Math.min(600, uploadExpiry.toSeconds() / 4));
        env.lifecycle().manage(new UploadJanitorManager(registry.janitor(), sweepSeconds));
        env.lifecycle().manage(new EvictionManager(cacheEviction(config.eviction, registry, blobs, clock),
                config.eviction.intervalValue()));

        env.healthChecks().register("database", new DatabaseHealthCheck(registry.transactions()));
        env.healthChecks().register("storage", new StorageHealthCheck(paths));
        env.healthChecks().register("disk", new DiskSpaceHealthCheck(paths.root(),
                config.storage.minFreeDisk.toBytes()));
        ProbeEndpoints.register(env, identity == null || config.auth.openMetrics ? null
                : new MetricsGuard(identity.authenticator()));

        AdminApi.registerJettyErrors(env);
        // A project created, deleted or made a proxy through the API is routed and served as it now is.
        Consumer<String> projectChanged = project -> {
            registry.repositories().forget(project);
            mirrors.forget(project);
            proxy.forget(project);
        };
        ProxyCaches caches = new ProxyCaches(registry.transactions());
        ImportJobs imports = new ImportJobs(new ImportSpool(paths.root()), localRegistry, clock);
        env.lifecycle().manage(new Managed() {
            @Override
            public void start() {
            }

            @Override
            public void stop() {
                imports.close(); // before the gateway stops: managed objects stop in reverse order
            }
        });
        if (identity != null) {
            AdminApi.register(env.jersey(), registry.inventory(), registry.labels(), identity,
                    config.auth.projectCreation, config.auth.selfRegistration, audit, caches, preheats, imports, clock,
                    projectChanged);
        } else {
            AdminApi.registerOpen(env.jersey(), registry.inventory(), registry.labels(), registry.transactions(), clock,
                    caches, preheats, imports, projectChanged);
        }
        AdminApi.registerRegistries(env.jersey(), endpoints, upstreams);
        Policies policies = new Policies(registry.transactions(), clock);
        Executions executions = replication(registry, policies, endpoints, upstreams, localRegistry, identity, paths,
                clock, env);
        AdminApi.registerReplication(env.jersey(), policies, executions);
        env.lifecycle().manage(new ReplicationTriggers(dataSource, registry.transactions(), policies, executions,
                consumers, config.replication, clock));
        env.lifecycle().addServerLifecycleListener(new StartupBanner(gatewayConfig, gateway::port, signIn));
    }

    /**
     * Proxy projects' pull-through cache, serving every project of kind proxy. Fills run on virtual
     * threads (each holds one for its whole transfer) and are waited for on stop, after the gateway
     * and before the store; spool files live on the blob store's file system, so a verified blob is
     * renamed into place rather than copied.
     */
    private static ProxyCache openProxyCache(BerthConfiguration config, Registry registry, RegistryEndpoints endpoints,
                                             UpstreamFactory upstreams, StoragePaths paths, Clock clock,
                                             Environment env) throws IOException {
        ExecutorService fetches = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("berth-proxy-fetch-", 0).factory());
        env.lifecycle().manage(new AutoCloseableManager(fetches::close));
        ProxyCache proxy = new ProxyCache(registry, ProxyCache.settingsIn(registry.transactions()),
                registryId -> upstreams.of(endpoints.get(registryId)), fetches, paths.root().resolve("proxy-spool"),
                ProxyCache.Options.defaults(config.registry.maxManifestSize.toBytes()), clock);
        registry.repositories().serve(ProjectKind.PROXY, proxy);
        return proxy;
    }

    /**
     * Preheat jobs of proxy projects, run through the proxy cache. Managed after the cache's fetches
     * and the store, so they stop first: a stop marks this instance's unfinished jobs failed.
     */
    private static PreheatJobs preheatJobs(Registry registry, ProxyCache proxy, Clock clock, Environment env) {
        PreheatJobs jobs = new PreheatJobs(registry.transactions(), proxy, PreheatJobs.Options.defaults(), clock,
                "berth-" + UUID.randomUUID());
        env.lifecycle().manage(new Managed() {
            @Override
            public void start() {
                jobs.start();
            }

            @Override
            public void stop() {
                jobs.close();
            }
        });
        return jobs;
    }

    /**
     * Replication executions, run by this instance: this Berth's side of a policy is written through
     * the gateway's own port as the replication robot (none with authentication off; the client is
     * made on the first execution) and read in process. Managed after the gateway, so executions stop
     * (and are marked failed) first.
     */
    private static Executions replication(Registry registry, Policies policies, RegistryEndpoints endpoints,
                                          UpstreamFactory upstreams, LocalRegistry localRegistry, Identity identity,
                                          StoragePaths paths, Clock clock, Environment env) {
        Supplier<Credential> credential = identity == null ? () -> null
                : () -> ReplicationRobot.ensure(identity.robots(), paths.root());
        BerthReplicationEndpoints sides = new BerthReplicationEndpoints(endpoints, upstreams, localRegistry,
                credential, registry.transactions(), registry.repositories());
        Executions executions = new Executions(new ExecutionStore(registry.transactions(), clock,
                "berth-" + UUID.randomUUID()), policies, sides, Executions.Options.defaults(), clock);
        env.lifecycle().manage(new Managed() {
            @Override
            public void start() {
                executions.startHeartbeat();
            }

            @Override
            public void stop() {
                executions.close();
                sides.close();
            }
        });
        return executions;
    }

    /**
     * Eviction from proxy projects' caches and removal of content nothing references. The lease
     * lasts a few intervals, so an instance that dies mid-run holds it up only that long.
     */
    private static CacheEviction cacheEviction(EvictionSettings settings, Registry registry, BlobStore blobs,
                                               Clock clock) {
        Duration grace = settings.gracePeriodValue();
        TaskLease lease = new TaskLease(registry.transactions(), "cache-eviction", "berth-" + UUID.randomUUID(),
                settings.intervalValue().multipliedBy(3), clock);
        return new CacheEviction(registry, new BlobReclaimer(registry.transactions(), blobs, grace,
                clock), lease, grace, clock);
    }

    private static boolean isBlank(String setting) {
        return setting == null || setting.isBlank();
    }

    /** The mirror modes' settings; a project or host that cannot be one stops the start, saying which. */
    private static MirrorSettings mirrorSettings(BerthConfiguration config) {
        try {
            return config.proxy.toMirrorSettings();
        } catch (RegistryException | IllegalArgumentException e) {
            throw new IllegalStateException("proxy settings: " + e.getMessage(), e);
        }
    }

    /** Accounts, tokens and the access check, with the signing key created on first start. */
    private static Identity openIdentity(BerthConfiguration config, Registry registry, StoragePaths paths,
                                         MirrorNames mirrors, Clock clock) throws IOException {
        AuthSettings auth = config.auth;
        Path keyFile = isBlank(auth.signingKeyFile) ? paths.root().resolve("token-signing-key.pem")
                : Path.of(auth.signingKeyFile);
        TokenSettings tokens = new TokenSettings(auth.issuer, auth.service,
                Duration.ofMillis(auth.tokenLifetime.toMilliseconds()), TokenSettings.DEFAULT_LEEWAY);
        String realm = isBlank(auth.externalUrl) ? null
                : auth.externalUrl.replaceAll("/+$", "") + Challenge.TOKEN_PATH;
        LdapSettings ldap = auth.mode == AuthMode.LDAP ? auth.ldap.toSettings() : null;
        return new Identity(registry.transactions(), SigningKey.loadOrCreate(keyFile), new Identity.Settings(tokens,
                realm, auth.projectCreation, config.projects.autoCreate, auth.passwordCost, ldap), mirrors, clock);
    }
}
