package io.berth.admin.api.errors;

import com.fasterxml.jackson.core.JsonGenerationException;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.PropertyBindingException;
import io.berth.store.error.RegistryException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.stream.Collectors;

/**
 * A request body that is not the JSON an endpoint reads, as a 400 that says where: malformed JSON,
 * an unknown field (naming those there are), a value of the wrong type. The message names fields
 * and types, never the values sent, which may be passwords. A failure to write a response is the
 * server's (500).
 */
public final class JsonExceptionMapper implements ExceptionMapper<JsonProcessingException> {
    private static final Logger LOG = LoggerFactory.getLogger(JsonExceptionMapper.class);

    @Override
    public Response toResponse(JsonProcessingException e) {
        if (e instanceof JsonGenerationException || e instanceof InvalidDefinitionException) {
            LOG.error("admin API could not write or read JSON", e);
            return ApiErrors.response(500, "the server failed to answer; the failure is in its log");
        }
        if (e.getCause() instanceof RegistryException refused) { // thrown by a value's own validation
            return ApiErrors.response(refused.code().status(), refused.getMessage(), refused.headers());
        }
        return ApiErrors.response(400, message(e));
    }

    private static String message(JsonProcessingException e) {
        if (e instanceof JsonParseException) {
            return "the body is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")";
        }
        if (e instanceof PropertyBindingException unknown) {
            String known = unknown.getKnownPropertyIds() == null ? "" : unknown.getKnownPropertyIds().stream()
                    .map(String::valueOf).sorted().collect(Collectors.joining(", "));
            return "unknown field '" + unknown.getPropertyName() + "'" + (known.isEmpty() ? "" : ": the fields are " + known);
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return "field '" + path(mapping) + "' has a value of the wrong type or form";
        }
        return "the body is not the JSON this endpoint reads: see GET /api/v1/openapi.json";
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
