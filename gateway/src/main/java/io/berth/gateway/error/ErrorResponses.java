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


/**
 * The one writer of error bodies: {@code {"errors":[{"code","message","detail"}]}} as the OCI
 * distribution spec defines it, with the status registered for the code and the headers the
 * failure carries (a {@link RegistryException} of a 429 or 503 always has a {@code Retry-After}).
 * Handlers report errors; only this class formats them.
 */
public final class ErrorResponses {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ErrorResponses() {
    }

    public static FullHttpResponse of(ErrorCode error, String message, String detail) {
        return of(new RegistryException(error, message, detail));
    }

    /** The failure's status, error body and headers ({@code Retry-After} on every 429 and 503). */
    public static FullHttpResponse of(RegistryException e) {
        ErrorCode error = e.code();
        String message = e.getMessage();
        String detail = e.detail();
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
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(error.status()), Unpooled.wrappedBuffer(bytes));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        e.headers().forEach((name, value) -> response.headers().set(name, value));
        return response;
    }
}
