package io.berth.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.admin.api.ApiClient.Answer;
import io.berth.admin.api.json.ArtifactLabels;
import io.berth.admin.api.json.LabelRequest;
import io.berth.admin.api.json.PolicyRequest;
import io.berth.admin.api.json.PolicyView;
import io.berth.admin.api.json.ProxyRequest;
import io.berth.admin.api.json.ProxyView;
import io.berth.store.Inventory;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.Path;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hand-written OpenAPI document against what Jersey serves: every route of the running
 * application is documented, nothing documented is missing, and every reference inside resolves.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class OpenApiTest {
    private static final ApiApp APP = new ApiApp();
    static final DropwizardAppExtension<?> EXTENSION = APP.extension;

    @Test
    void theDocument_isServedToAnyone_asOpenApi3() {
        Answer answer = APP.api().get("/api/v1/openapi.json");

        assertEquals(200, answer.status(), answer.toString());
        assertTrue(answer.header("Content-Type").startsWith("application/json"), answer.toString());
        assertTrue(answer.json().get("openapi").asText().startsWith("3."), answer.toString());
    }

    @Test
    void everyServedRoute_isDocumented_andEveryDocumentedRouteIsServed() {
        Set<String> served = servedRoutes(EXTENSION.getEnvironment().jersey().getResourceConfig());
        Set<String> documented = new TreeSet<>();
        JsonNode paths = APP.api().get("/api/v1/openapi.json").json().get("paths");
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            path.getValue().fieldNames().forEachRemaining(method -> documented.add(method.toUpperCase() + " "
                    + path.getKey()));
        }

        assertTrue(served.size() >= 25, "the application's routes were found: " + served);
        assertEquals(served, documented);
    }

    @Test
    void everyOperation_answersSomething_andEveryReferenceResolves() {
        JsonNode document = APP.api().get("/api/v1/openapi.json").json();
        document.get("paths").forEach(path -> path.forEach(operation -> {
            assertTrue(operation.get("responses").size() > 0, operation.toString());
            assertTrue(operation.has("summary"), operation.toString());
        }));
        List<String> references = new ArrayList<>();
        collectReferences(document, references);
        assertTrue(references.size() > 50, references.toString());
        for (String reference : references) {
            assertTrue(reference.startsWith("#/"), reference);
            assertTrue(!document.at(reference.substring(1)).isMissingNode(), "unresolved " + reference);
        }
    }

    @Test
    void theProxySettings_areDocumented_fieldForField_inRequestsAndAnswers() {
        JsonNode schemas = APP.api().get("/api/v1/openapi.json").json().get("components").get("schemas");

        assertEquals(recordFields(ProxyRequest.class), fieldNames(schemas.get("ProxySettingsRequest")));
        assertEquals(recordFields(ProxyView.class), fieldNames(schemas.get("ProxySettings")));
        for (String schema : List.of("ProjectCreate", "ProjectChange")) {
            assertEquals("#/components/schemas/ProxySettingsRequest",
                    schemas.get(schema).get("properties").get("proxy").get("$ref").asText(), schema);
        }
        assertEquals("#/components/schemas/ProxySettings",
                schemas.get("Project").get("properties").get("proxy").get("$ref").asText());
        assertTrue(!schemas.get("ProjectChange").has("required"), "public or proxy, either may be left out");
    }

    @Test
    void theReplicationPolicies_andLabels_areDocumented_fieldForField() {
        JsonNode schemas = APP.api().get("/api/v1/openapi.json").json().get("components").get("schemas");

        Set<String> request = recordFields(PolicyRequest.class);
        request.addAll(List.of("id", "createdAt", "updatedAt")); // ignored when sent back
        assertEquals(request, fieldNames(schemas.get("ReplicationPolicyCreate")));
        assertEquals(recordFields(PolicyView.class), fieldNames(schemas.get("ReplicationPolicy")));
        assertEquals(recordFields(PolicyRequest.TriggerRequest.class), fieldNames(schemas.get("ReplicationTrigger")));
        assertEquals(recordFields(LabelRequest.class), fieldNames(schemas.get("LabelRequest")));
        assertEquals(recordFields(ArtifactLabels.class), fieldNames(schemas.get("ArtifactLabels")));
        assertEquals(recordFields(Inventory.ArtifactSummary.class), fieldNames(schemas.get("Artifact")));
    }

    private static Set<String> recordFields(Class<? extends Record> type) {
        Set<String> names = new TreeSet<>();
        for (java.lang.reflect.RecordComponent c : type.getRecordComponents()) {
            names.add(c.getName());
        }
        return names;
    }

    private static Set<String> fieldNames(JsonNode schema) {
        Set<String> names = new TreeSet<>();
        schema.get("properties").fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** "METHOD /path" of every resource method, templates without their regular expressions. */
    private static Set<String> servedRoutes(ResourceConfig config) {
        Set<Class<?>> classes = new HashSet<>(config.getClasses());
        config.getInstances().forEach(instance -> classes.add(instance.getClass()));
        Set<String> routes = new TreeSet<>();
        for (Class<?> type : classes) {
            if (type.isAnnotationPresent(Path.class)) {
                collectRoutes(Resource.from(type), "", routes);
            }
        }
        return routes;
    }

    private static void collectRoutes(Resource resource, String prefix, Set<String> routes) {
        String path = join(prefix, resource.getPath());
        for (ResourceMethod method : resource.getResourceMethods()) {
            routes.add(method.getHttpMethod() + " " + path);
        }
        resource.getChildResources().forEach(child -> collectRoutes(child, path, routes));
    }

    private static String join(String prefix, String path) {
        String joined = (prefix + "/" + path).replaceAll("/+", "/").replaceAll("/$", "");
        return joined.replaceAll("\\{\\s*(\\w+)\\s*:[^}]*}", "{$1}");
    }

    private static void collectReferences(JsonNode node, List<String> references) {
        if (node.isObject() && node.has("$ref")) {
            references.add(node.get("$ref").asText());
        }
        node.forEach(child -> collectReferences(child, references));
    }
}
