package io.berth.gateway.http;

import io.berth.gateway.auth.Access;
import io.netty.handler.codec.http.HttpMethod;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One endpoint: a method, a path pattern with named groups, the access it needs, and the handler.
 *
 * <p>Every handler is called the same way: once per request, on the event loop, as soon as the
 * request is admitted (routed, and let in by the access check) and before any of its body is read
 * or {@code 100 Continue} is sent. A handler that needs the body asks for it through the exchange,
 * whole ({@link Exchange#collectBody}) or as a stream ({@link Exchange#streamBody}); a body nobody
 * asks for is discarded. It answers through the exchange exactly once, or throws.
 *
 * <p>A route that {@linkplain #throughMirrors reads through mirrors} has the repository its
 * {@code name} group names routed by {@link io.berth.gateway.mirror.Mirrors} before the access
 * check: its handler and its access then see the repository that serves the read.
 */
public record Route(String name, HttpMethod method, Pattern path, List<String> groups, Access access,
                    Handler handler, boolean readsThroughMirrors) {

    /** Serves one request; it must answer through the exchange exactly once. */
    @FunctionalInterface
    public interface Handler {
        void handle(Exchange exchange) throws Exception;
    }

    /**
     * A route; {@code name} labels its metrics ({@code berth.registry.requests.<name>}).
     */
    public static Route of(String name, HttpMethod method, String regex, Access access, Handler handler) {
        Pattern pattern = Pattern.compile(regex);
        List<String> groups = List.copyOf(pattern.namedGroups().keySet());
        return new Route(name, method, pattern, groups, access, handler, false);
    }

    /**
     * This route, as a read of the repository its {@code name} group names, which mirror modes may
     * serve from a proxy project (manifests, blobs, tags, referrers).
     */
    public Route throughMirrors() {
        return new Route(name, method, path, groups, access, handler, true);
    }

    Matcher match(String path) {
        Matcher m = this.path.matcher(path);
        return m.matches() ? m : null;
    }
}
