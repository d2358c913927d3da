package io.berth.gateway.v2;

import io.berth.store.oci.MediaTypes;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Manifest content negotiation that never converts: a manifest is served as stored, unless the
 * client listed manifest media types and this one is not among them (nor a wildcard), in which
 * case it is reported unknown, as Distribution does. A type weighted {@code q=0} is one the
 * client refuses (RFC 9110 §12.4.2), even when a wildcard would match it.
 */
final class AcceptHeader {
    private static final Pattern ZERO_WEIGHT = Pattern.compile(";\\s*q\\s*=\\s*0(\\.0{0,3})?\\s*(;|$)",
            Pattern.CASE_INSENSITIVE);

    private AcceptHeader() {
    }

    static boolean accepts(HttpHeaders headers, String mediaType) {
        boolean listsManifestTypes = false;
        boolean wildcard = false;
        for (String header : headers.getAll(HttpHeaderNames.ACCEPT)) {
            for (String part : header.split(",")) {
                int semicolon = part.indexOf(';');
                String type = (semicolon >= 0 ? part.substring(0, semicolon) : part).trim().toLowerCase(Locale.ROOT);
                boolean refused = semicolon >= 0 && ZERO_WEIGHT.matcher(part.substring(semicolon)).find();
                if (type.equals(mediaType)) {
                    return !refused;
                }
                wildcard |= !refused && (type.equals("*/*") || type.equals("application/*"));
                listsManifestTypes |= MediaTypes.MANIFESTS.contains(type);
            }
        }
        return wildcard || !listsManifestTypes;
    }
}
