package io.berth.admin.api;

import io.berth.admin.imports.ImportJobs;

import io.berth.admin.api.access.OpenAccessFilter;
import io.berth.admin.api.access.ProjectAccess;
import io.berth.admin.api.access.SignInFilter;
import io.berth.admin.api.audit.AuditLogsResource;
import io.berth.admin.api.audit.ProjectLogsResource;
import io.berth.admin.api.errors.ConstraintViolationMapper;
import io.berth.admin.api.errors.JsonErrorHandler;
import io.berth.admin.api.errors.JsonExceptionMapper;
import io.berth.admin.api.errors.RegistryExceptionMapper;
import io.berth.admin.api.errors.UnexpectedExceptionMapper;
import io.berth.admin.api.errors.WebApplicationExceptionMapper;
import io.berth.gateway.auth.Grants;
import io.berth.gateway.auth.Identity;
import io.berth.gateway.auth.members.Members;
import io.berth.gateway.auth.projects.Projects;
import io.berth.gateway.auth.projects.ProxyProjects;
import io.berth.store.Inventory;
import io.berth.store.audit.AuditLog;
import io.berth.store.label.Labels;
import io.berth.store.meta.Transactions;
import io.berth.store.proxy.eviction.ProxyCaches;
import io.berth.store.proxy.preheat.PreheatJobs;
import io.berth.store.upstream.RegistryEndpoints;
import io.berth.store.upstream.UpstreamFactory;
import io.berth.sync.execution.Executions;
import io.berth.sync.policy.Policies;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.jersey.setup.JerseyEnvironment;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;

import java.time.Clock;
import java.util.function.Consumer;

/**
 * The admin REST API ({@code /api/v1}) put together: its error mappers, how callers sign in, and
 * its resources. With identity, every caller signs in (or is anonymous, seeing public projects
 * only) and accounts, members, robots, the audit log and the directory check are served; without
 * it, the API is open as the registry is, and serves projects and their content (labels included),
 * registry endpoints and replication policies only.
 */
public final class AdminApi {
    private AdminApi() {
    }

    /**
     * With sign-in: projects (with proxy projects' caches and preheat jobs), members, users, robots, the audit
     * log and the LDAP check, each decided by Grants.
     *
     * @param projectChanged told the name of each project the API created, changed or deleted (the
     *                       registry forgets what it knew of it)
     */
    public static void register(JerseyEnvironment jersey, Inventory inventory, Labels labels, Identity identity,
                                Grants.ProjectCreation creation, boolean selfRegistration, AuditLog audit,
                                ProxyCaches caches, PreheatJobs preheats, ImportJobs imports, Clock clock,
                                Consumer<String> projectChanged) {
        registerErrorMappers(jersey);
        jersey.register(new SignInFilter(identity.authenticator(), identity.tokens()));
        ProjectAccess access = new ProjectAccess(identity.projects(), identity.members());
        Members members = identity.members();
        registerProjects(jersey, inventory, labels, identity.projects(), identity.proxyProjects(), access,
                (name, isPublic, proxy, creator, actor) -> members.as(actor).createProject(name, isPublic,
                        creator.name(), proxy), creation, projectChanged);
        jersey.register(new ProxyCacheResource(caches, access, clock));
        jersey.register(new PreheatResource(preheats, access, clock));
        jersey.register(new PreheatJobResource(preheats, access));
        jersey.register(new ImportsResource(imports, access, true));
        jersey.register(new MembersResource(members, access));
        jersey.register(new UsersResource(identity.users(), selfRegistration));
        jersey.register(new RobotsResource(identity.robots(), access));
        jersey.register(new AuditLogsResource(audit));
        jersey.register(new ProjectLogsResource(audit, access));
        jersey.register(new LdapResource(identity.directory()));
    }

    /**
     * Without sign-in ({@code auth.enabled: false}): projects and their content, open to every caller.
     *
     * @param projectChanged as for {@link #register}
     */
    public static void registerOpen(JerseyEnvironment jersey, Inventory inventory, Labels labels, Transactions tx,
                                    Clock clock, ProxyCaches caches, PreheatJobs preheats, ImportJobs imports,
                                    Consumer<String> projectChanged) {
        registerErrorMappers(jersey);
        jersey.register(new OpenAccessFilter());
        Projects projects = new Projects(tx, clock);
        ProjectAccess access = new ProjectAccess(projects, new Members(tx, clock));
        registerProjects(jersey, inventory, labels, projects, new ProxyProjects(tx, clock), access,
                (name, isPublic, proxy, creator, actor) -> projects.as(actor).create(name, isPublic, proxy),
                Grants.ProjectCreation.EVERYONE, projectChanged);
        jersey.register(new ProxyCacheResource(caches, access, clock));
        jersey.register(new PreheatResource(preheats, access, clock));
        jersey.register(new PreheatJobResource(preheats, access));
        jersey.register(new ImportsResource(imports, access, false));
    }

    /**
     * The registry endpoints ({@code /api/v1/registries}), in both modes: for system admins with
     * sign-in, open as projects are without it (proxy projects need them either way).
     */
    public static void registerRegistries(JerseyEnvironment jersey, RegistryEndpoints endpoints,
                                          UpstreamFactory upstreams) {
        jersey.register(new RegistriesResource(endpoints, upstreams));
    }

    /**
     * The replication policies ({@code /api/v1/replication/policies}), in both modes as registry
     * endpoints are: for system admins with sign-in, open without it.
     */
    public static void registerReplication(JerseyEnvironment jersey, Policies policies, Executions executions) {
        jersey.register(new ReplicationPoliciesResource(policies));
        jersey.register(new ReplicationExecutionsResource(executions));
    }

    private static void registerProjects(JerseyEnvironment jersey, Inventory inventory, Labels labels,
                                         Projects projects, ProxyProjects proxies, ProjectAccess access,
                                         ProjectsResource.Creator creator, Grants.ProjectCreation creation,
                                         Consumer<String> projectChanged) {
        jersey.register(new ProjectsResource(inventory, projects, proxies, access, creator, creation, projectChanged));
        jersey.register(new RepositoriesResource(inventory, access));
        jersey.register(new LabelsResource(labels, access));
        jersey.register(new OpenApiResource());
    }

    /**
     * The admin API's error body also for what Jetty refuses before Jersey runs: on the server
     * (replacing Dropwizard's HTML error page as it starts) and on the application's context.
     */
    public static void registerJettyErrors(Environment env) {
        env.getApplicationContext().setErrorHandler(new JsonErrorHandler());
        env.lifecycle().addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarting(LifeCycle event) {
                if (event instanceof Server server) {
                    server.setErrorHandler(new JsonErrorHandler());
                }
            }
        });
    }

    /** One error body for every failure; Dropwizard's own mappers are off (see BerthApplication). */
    private static void registerErrorMappers(JerseyEnvironment jersey) {
        jersey.register(new RegistryExceptionMapper());
        jersey.register(new WebApplicationExceptionMapper());
        jersey.register(new JsonExceptionMapper());
        jersey.register(new ConstraintViolationMapper());
        jersey.register(new UnexpectedExceptionMapper());
    }
}
