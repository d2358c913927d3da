package io.berth.gateway.http;

import io.netty.handler.codec.http.HttpMethod;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One endpoint: a method, a path pattern with named groups, how its request body is read, and
 * the handler. A {@link BodyMode#STREAM} handler is called when the request head arrives and
 * reads the body itself; the others are called once the whole request is in.
 */
public record Route(String name, HttpMethod method, Pattern path, List<String> groups, BodyMode bodyMode,
                    Handler handler) {

    /** How a route's request body is read. */
    public enum BodyMode {
        /** Any body is read and dropped. */
        NONE,
        /** The body is collected in memory, up to the gateway's manifest size limit. */
        SMALL,
        /** The body is handed to the handler chunk by chunk, see {@link Exchange#streamBody}. */
        STREAM
    }

    /** Serves one request; it must answer through the exchange exactly once. */
    @FunctionalInterface
    public interface Handler {
        void handle(Exchange exchange) throws Exception;
    }

    /**
     * A route; {@code name} labels its metrics ({@code berth.registry.requests.<name>}).
     */
    public static Route of(String name, HttpMethod method, String regex, BodyMode bodyMode, Handler handler) {
        Pattern pattern = Pattern.compile(regex);
        List<String> groups = List.copyOf(pattern.namedGroups().keySet());
        return new Route(name, method, pattern, groups, bodyMode, handler);
    }

    Matcher match(String path) {
        Matcher m = this.path.matcher(path);
        return m.matches() ? m : null;
    }
}
