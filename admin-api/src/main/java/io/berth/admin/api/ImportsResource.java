package io.berth.admin.api;

import io.berth.admin.api.access.Caller;
import io.berth.admin.api.access.ProjectAccess;
import io.berth.admin.api.errors.ApiErrors;
import io.berth.admin.imports.ImportJob;
import io.berth.admin.imports.ImportJobs;
import io.berth.admin.imports.ImportSpool;
import io.berth.gateway.auth.Permission;
import io.berth.gateway.auth.Principal;
import io.berth.store.transfer.archive.ArchiveContent;
import io.berth.store.transfer.archive.ArchiveFormats;
import io.berth.store.transfer.imports.ImportRequest;
import io.berth.store.upstream.Credential;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Server-side imports, for the web UI and for scripts without the CLI: {@code POST /api/v1/imports}
 * takes a bundle, an OCI layout tar or a {@code docker save} tarball as the request body
 * ({@code ?project=P&name=REPO[:TAG]&keepGoing=true&dryRun=true}, as {@code berth import}'s flags),
 * answers {@code 202} with the job and its {@code Location} once the archive arrived and opened, and
 * imports it in the background, pushing as the caller through the registry port (so the caller's
 * roles decide, and audit, events and replication triggers apply as to any push). With sign-in,
 * the caller sends Basic credentials (a user's or a robot's), which the pushes reuse.
 * {@code GET /api/v1/imports[/{id}]}: the jobs their starter (or a system admin) may see.
 */
@Path("/api/v1/imports")
@Produces(MediaType.APPLICATION_JSON)
public final class ImportsResource {
    private final ImportJobs jobs;
    private final ProjectAccess access;
    private final boolean signIn;

    /** @param signIn whether callers sign in (authentication on); off, anyone may import and see every job */
    public ImportsResource(ImportJobs jobs, ProjectAccess access, boolean signIn) {
        this.jobs = jobs;
        this.access = access;
        this.signIn = signIn;
    }

    @POST
    @Consumes({"application/x-tar", MediaType.APPLICATION_OCTET_STREAM})
    public Response create(InputStream body, @QueryParam("project") String project, @QueryParam("name") String name,
                           @QueryParam("keepGoing") boolean keepGoing, @QueryParam("dryRun") boolean dryRun,
                           @HeaderParam("Authorization") String authorization,
                           @HeaderParam("Content-Length") String length, @Context SecurityContext security,
                           @Context UriInfo uri) {
        Principal who = Caller.of(security);
        if (project != null && !project.isBlank()) {
            access.require(who, project.strip(), Permission.PUSH, "import images into it");
        }
        Credential credential = null;
        if (signIn) {
            Optional<Credential> basic = basic(authorization);
            if (basic.isEmpty()) {
                return ApiErrors.response(400, "a server-side import pushes as you through the registry: sign in with"
                        + " Basic credentials (a user's or a robot's), not a token");
            }
            credential = basic.get();
        }
        ImportSpool.Spooled spooled;
        try {
            spooled = jobs.spool().take(body, declared(length));
        } catch (ImportSpool.SpoolException e) {
            return ApiErrors.response(e.status(), e.getMessage());
        } catch (IOException e) {
            return ApiErrors.response(503, "the archive could not be stored on Berth's disk (" + e.getMessage()
                    + "); try again");
        }
        ArchiveContent content;
        try {
            content = ArchiveFormats.open(List.of(spooled.file()));
        } catch (IOException | RuntimeException e) {
            jobs.spool().delete(spooled);
            return ApiErrors.response(400, "the request body is not an archive Berth can import (" + e.getMessage()
                    + "): send a bundle from berth export, an OCI image layout as a tar, or a docker save tarball,"
                    + " as application/x-tar");
        }
        ImportRequest request = new ImportRequest(blankToNull(project), blankToNull(name), keepGoing, dryRun);
        ImportJob job = jobs.submit(spooled, content, request, who.name(), credential);
        return Response.accepted(job.view())
                .location(uri.getBaseUriBuilder().path("api/v1/imports/{id}").build(job.id())).build();
    }

    @GET
    public List<ImportJob.View> list(@Context SecurityContext security) {
        Principal who = Caller.of(security);
        return jobs.list(job -> visible(who, job)).stream().map(ImportJob::view).toList();
    }

    @GET
    @Path("/{id}")
    public Response get(@PathParam("id") String id, @Context SecurityContext security) {
        Principal who = Caller.of(security);
        Optional<ImportJob> job = parse(id).flatMap(jobs::find).filter(j -> visible(who, j));
        return job.map(j -> Response.ok(j.view()).build()).orElseGet(() -> ApiErrors.response(404, "there is no import "
                + id + " that you may see (jobs are kept in memory until Berth restarts, the last 100 finished ones)"));
    }

    private boolean visible(Principal who, ImportJob job) {
        return !signIn || who instanceof Principal.User u && u.sysadmin() || job.createdBy().equals(who.name());
    }

    private static Optional<Credential> basic(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        try {
            String pair = new String(Base64.getDecoder().decode(authorization.substring(6).strip()),
                    StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            return colon <= 0 ? Optional.empty()
                    : Optional.of(new Credential.Basic(pair.substring(0, colon), pair.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static long declared(String length) {
        try {
            return length == null ? -1 : Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Optional<Long> parse(String id) {
        try {
            return Optional.of(Long.parseLong(id));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
