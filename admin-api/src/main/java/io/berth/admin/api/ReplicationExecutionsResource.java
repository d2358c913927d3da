package io.berth.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.admin.api.access.Caller;
import io.berth.admin.api.access.Refusals;
import io.berth.admin.api.json.ExecutionView;
import io.berth.admin.api.json.TaskView;
import io.berth.gateway.auth.Grants;
import io.berth.gateway.auth.Principal;
import io.berth.store.Inventory.Listing;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.sync.execution.Execution;
import io.berth.sync.execution.ExecutionStatus;
import io.berth.sync.execution.ExecutionTask;
import io.berth.sync.execution.Executions;
import io.berth.sync.policy.Trigger;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;

/**
 * {@code /api/v1/replication/executions}: runs of replication policies, for system admins, in
 * Harbor's shape: start one by hand, list them newest first, stop one, and read its tasks and their
 * logs. Starts and stops are audited.
 */
@Path("/api/v1/replication/executions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class ReplicationExecutionsResource {
    private final Executions executions;

    public ReplicationExecutionsResource(Executions executions) {
        this.executions = executions;
    }

    /** {@code {"policyId": 3}}: starts the policy now (a manual trigger); 409 while it runs already. */
    @POST
    public Response start(@NotNull JsonNode body, @Context SecurityContext security, @Context UriInfo uri) {
        require(security, "start replication executions");
        JsonNode policyId = body.get("policyId");
        if (policyId == null || !policyId.canConvertToLong() || !policyId.isIntegralNumber()) {
            throw new RegistryException(ErrorCode.INVALID_INPUT, "give the policy to run as {\"policyId\": <id>}"
                    + " (GET /api/v1/replication/policies lists them)");
        }
        Execution started = executions.start(policyId.asLong(), Trigger.Type.MANUAL, Caller.actor(security));
        return Response.created(uri.getAbsolutePathBuilder().path(String.valueOf(started.id())).build())
                .entity(ExecutionView.of(started)).build();
    }

    @GET
    public Response list(@QueryParam("policy_id") String policyId, @QueryParam("page") String page,
                         @QueryParam("page_size") String pageSize, @Context SecurityContext security,
                         @Context UriInfo uri) {
        require(security, "list replication executions");
        PageRequest paging = PageRequest.of(page, pageSize);
        Long policy = policyId == null || policyId.isBlank() ? null : number(policyId, "policy_id");
        Listing<Execution> listing = executions.store().list(policy, paging.page(), paging.pageSize());
        return paging.respond(listing.items().stream().map(ExecutionView::of).toList(), listing.total(), uri);
    }

    @GET
    @Path("/{id}")
    public ExecutionView get(@PathParam("id") String id, @Context SecurityContext security) {
        require(security, "see replication executions");
        return ExecutionView.of(executions.store().get(executionId(id)));
    }

    /** {@code {"status":"Stopped"}}: stops it; its unfinished tasks end Stopped within seconds. */
    @PUT
    @Path("/{id}")
    public ExecutionView stop(@PathParam("id") String id, @NotNull JsonNode body, @Context SecurityContext security) {
        require(security, "stop replication executions");
        long execution = executionId(id);
        if (!ExecutionStatus.STOPPED.wireName().equals(body.path("status").asText())) {
            throw new RegistryException(ErrorCode.INVALID_INPUT, "an execution can only be stopped: send"
                    + " {\"status\":\"Stopped\"}");
        }
        return ExecutionView.of(executions.stop(execution, Caller.actor(security)));
    }

    @GET
    @Path("/{id}/tasks")
    public Response tasks(@PathParam("id") String id, @QueryParam("page") String page,
                          @QueryParam("page_size") String pageSize, @Context SecurityContext security,
                          @Context UriInfo uri) {
        require(security, "see replication tasks");
        PageRequest paging = PageRequest.of(page, pageSize);
        Listing<ExecutionTask> listing = executions.store().tasks(executionId(id), paging.page(), paging.pageSize());
        return paging.respond(listing.items().stream().map(TaskView::of).toList(), listing.total(), uri);
    }

    @GET
    @Path("/{id}/tasks/{taskId}/log")
    @Produces(MediaType.TEXT_PLAIN)
    public String log(@PathParam("id") String id, @PathParam("taskId") String taskId,
                      @Context SecurityContext security) {
        require(security, "read replication task logs");
        long execution = executionId(id);
        long task;
        try {
            task = Long.parseLong(taskId);
        } catch (NumberFormatException e) {
            throw new RegistryException(ErrorCode.NO_SUCH_RESOURCE, "execution " + execution + " has no task '"
                    + taskId + "': task ids are numbers, GET …/executions/" + execution + "/tasks lists them");
        }
        return executions.store().log(execution, task);
    }

    private static long executionId(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new RegistryException(ErrorCode.NO_SUCH_RESOURCE, "there is no replication execution with id '" + id
                    + "': ids are numbers, GET /api/v1/replication/executions lists them");
        }
    }

    private static long number(String value, String name) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new RegistryException(ErrorCode.INVALID_INPUT, name + " is a policy id (a number), not '" + value
                    + "'");
        }
    }

    private static void require(SecurityContext security, String doWhat) {
        Principal who = Caller.of(security);
        Refusals.require(Grants.mayManageReplication(who), who, doWhat);
    }
}
