package io.berth.gateway.v2;

import io.berth.store.oci.MediaTypes;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

import java.util.Locale;

/**
 * Manifest content negotiation that never converts: a manifest is served as stored, unless the
 * client listed manifest media types and this one is not among them (nor a wildcard), in which
 * case it is reported unknown, as Distribution does.
 */
final class AcceptHeader {
    private AcceptHeader() {
    }

    static boolean accepts(HttpHeaders headers, String mediaType) {
        boolean listsManifestTypes = false;
        for (String header : headers.getAll(HttpHeaderNames.ACCEPT)) {
            for (String part : header.split(",")) {
                String type = part;
                int semicolon = type.indexOf(';');
                if (semicolon >= 0) {
                    type = type.substring(0, semicolon);
                }
                type = type.trim().toLowerCase(Locale.ROOT);
                if (type.equals(mediaType) || type.equals("*/*") || type.equals("application/*")) {
                    return true;
                }
                listsManifestTypes |= MediaTypes.MANIFESTS.contains(type);
            }
        }
        return !listsManifestTypes;
    }
}
