package io.berth.gateway.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.util.Map;

/**
 * The one writer of error bodies: {@code {"errors":[{"code","message","detail"}]}} as the OCI
 * distribution spec defines it, with the status registered for the code and the headers the
 * failure carries. Handlers report errors; only this class formats them. An answer that asks the
 * client to come back later (429, 503) always says when, as the spec requires of a 429.
 */
public final class ErrorResponses {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** {@code Retry-After} when the failure did not name one. */
    static final String DEFAULT_RETRY_AFTER_SECONDS = "1";

    private ErrorResponses() {
    }

    public static FullHttpResponse of(ErrorCode error, String message, String detail) {
        return of(error, message, detail, Map.of());
    }

    public static FullHttpResponse of(RegistryException e) {
        return of(e.code(), e.getMessage(), e.detail(), e.headers());
    }

    private static FullHttpResponse of(ErrorCode error, String message, String detail, Map<String, String> headers) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode errors = body.putArray("errors");
        ObjectNode entry = errors.addObject();
        entry.put("code", error.code());
        entry.put("message", message == null ? error.defaultMessage() : message);
        if (detail != null) {
            entry.put("detail", detail);
        }
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(error.status()), Unpooled.wrappedBuffer(bytes));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        headers.forEach((name, value) -> response.headers().set(name, value));
        if (error.needsRetryAfter() && !response.headers().contains(HttpHeaderNames.RETRY_AFTER)) {
            response.headers().set(HttpHeaderNames.RETRY_AFTER, DEFAULT_RETRY_AFTER_SECONDS);
        }
        return response;
    }
}
