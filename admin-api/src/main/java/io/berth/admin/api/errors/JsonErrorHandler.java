package io.berth.admin.api.errors;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.List;

/**
 * The errors Jetty answers itself, before any resource runs (a malformed request line or URI, an
 * ambiguous path, oversized headers), in the admin API's one error body instead of an HTML page.
 * Jetty's reason phrase is the message; it never carries a stack trace.
 */
public final class JsonErrorHandler extends ErrorHandler {
    private static final ObjectMapper JSON = new ObjectMapper();

    public JsonErrorHandler() {
        setShowStacks(false);
        setShowCauses(false);
    }

    @Override
    protected boolean generateAcceptableResponse(Request request, Response response, Callback callback,
                                                 String contentType, List<Charset> charsets, int code, String message,
                                                 Throwable cause) throws IOException {
        String reason = message == null || message.isBlank() ? "the request was refused" : message;
        byte[] body = JSON.writeValueAsBytes(ErrorBody.of(ApiErrorCode.of(code), code < 500
                ? "the request could not be read: " + reason : "the server failed to answer: " + reason));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }
}
