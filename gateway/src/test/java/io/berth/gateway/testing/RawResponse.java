package io.berth.gateway.testing;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A response read off a {@link RawConnection}.
 *
 * @param status  the status code
 * @param headers header values by lowercase name, in the order received
 * @param body    the body bytes (empty for HEAD, 1xx, 204 and 304)
 */
public record RawResponse(int status, Map<String, List<String>> headers, byte[] body) {

    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    public String text() {
        return TestContent.text(body);
    }

    @Override
    public String toString() {
        return status + " " + headers + " " + text();
    }
}
