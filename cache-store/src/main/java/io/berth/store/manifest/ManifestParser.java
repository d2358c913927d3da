package io.berth.store.manifest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.oci.Descriptor;
import io.berth.store.oci.Digest;
import io.berth.store.oci.MediaTypes;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads OCI image manifests and indexes and Docker schema 2 manifests and manifest lists. It only
 * reads: the stored bytes are always exactly the bytes the client sent, so digests never change.
 */
public final class ManifestParser {
    /**
     * RFC 6838's {@code type/subtype}, each a restricted-name of at most 127 characters, which the
     * image spec requires of media and artifact types. It also keeps a recorded artifact type
     * within its 255-character column instead of failing the push with a database error.
     */
    private static final Pattern MEDIA_TYPE = Pattern.compile(
            "[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}");

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            // Content after the object would be stored byte-exact and break clients that parse strictly.
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private ManifestParser() {
    }

    /**
     * Parses and validates a manifest.
     *
     * @param content     the manifest bytes as pushed
     * @param contentType the request's {@code Content-Type}, or null
     */
    public static ParsedManifest parse(byte[] content, String contentType) {
        JsonNode root = readJson(content);
        if (!root.isObject()) {
            throw invalid("a manifest must be a JSON object");
        }
        JsonNode schemaVersion = root.get("schemaVersion");
        if (schemaVersion != null && schemaVersion.asInt() == 1) {
            throw invalid("Docker schema 1 manifests are not supported: push with a client that writes"
                    + " schema 2 or OCI manifests");
        }
        if (schemaVersion == null || !schemaVersion.isInt() || schemaVersion.asInt() != 2) {
            throw invalid("manifest must have \"schemaVersion\": 2");
        }
        String mediaType = resolveMediaType(root, contentType);
        String annotations = annotations(root, "annotations");
        Descriptor subject = root.has("subject") ? descriptor(root.get("subject"), "subject") : null;
        // The spec treats an empty artifactType as a missing one.
        String artifactType = textOrNull(root, "artifactType");
        if (artifactType != null && artifactType.isEmpty()) {
            artifactType = null;
        }

        if (MediaTypes.isIndex(mediaType)) {
            JsonNode manifests = root.get("manifests");
            if (manifests == null || !manifests.isArray()) {
                throw invalid("an image index must have a \"manifests\" array");
            }
            List<Descriptor> children = new ArrayList<>();
            for (JsonNode m : manifests) {
                children.add(descriptor(m, "manifests[]"));
            }
            return new ParsedManifest(mediaType, List.of(), children, subject, checkedArtifactType(artifactType),
                    annotations);
        }

        JsonNode configNode = root.get("config");
        if (configNode == null) {
            throw invalid("an image manifest must have a \"config\" descriptor");
        }
        Descriptor config = descriptor(configNode, "config");
        JsonNode layers = root.get("layers");
        if (layers == null || !layers.isArray()) {
            throw invalid("an image manifest must have a \"layers\" array");
        }
        List<Descriptor> blobs = new ArrayList<>();
        blobs.add(config);
        for (JsonNode layer : layers) {
            Descriptor d = descriptor(layer, "layers[]");
            if (!MediaTypes.NON_DISTRIBUTABLE_LAYERS.contains(d.mediaType())) {
                blobs.add(d);
            }
        }
        if (artifactType == null) {
            artifactType = config.mediaType();
        }
        return new ParsedManifest(mediaType, blobs, List.of(), subject, checkedArtifactType(artifactType), annotations);
    }

    /** The artifact type the referrers API will report: the manifest's own, or its config's media type. */
    private static String checkedArtifactType(String artifactType) {
        if (artifactType != null && !MEDIA_TYPE.matcher(artifactType).matches()) {
            throw invalid("artifact type '" + (artifactType.length() > 80 ? artifactType.substring(0, 80) + "…"
                    : artifactType) + "' is not a media type: use type/subtype (RFC 6838), each part at most"
                    + " 127 letters, digits or !#$&^_.+-");
        }
        return artifactType;
    }

    private static JsonNode readJson(byte[] content) {
        try {
            JsonNode node = JSON.readTree(content);
            if (node == null) {
                throw invalid("the manifest body is empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw invalid("manifest is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw invalid("manifest could not be read: " + e.getMessage());
        }
    }

    /** The body's {@code mediaType} and the {@code Content-Type} must agree when both name a manifest type. */
    private static String resolveMediaType(JsonNode root, String contentType) {
        String declared = textOrNull(root, "mediaType");
        String header = contentType == null ? null : stripParameters(contentType);
        boolean headerIsManifest = header != null && (MediaTypes.MANIFESTS.contains(header)
                || header.equals(MediaTypes.DOCKER_SCHEMA1) || header.equals(MediaTypes.DOCKER_SCHEMA1_SIGNED));
        if (declared != null && headerIsManifest && !declared.equals(header)) {
            throw invalid("Content-Type is " + header + " but the manifest's mediaType is " + declared
                    + ": send the manifest with Content-Type " + declared);
        }
        String resolved = declared != null ? declared : headerIsManifest ? header : inferred(root);
        if (!MediaTypes.MANIFESTS.contains(resolved)) {
            throw invalid("manifest media type " + resolved + " is not supported: use an OCI image manifest or"
                    + " index, or a Docker schema 2 manifest or manifest list");
        }
        boolean hasManifests = root.has("manifests");
        if (MediaTypes.isIndex(resolved) != hasManifests) {
            throw invalid("manifest media type " + resolved + " does not match its content ("
                    + (hasManifests ? "it has \"manifests\"" : "it has no \"manifests\"") + ")");
        }
        return resolved;
    }

    private static String inferred(JsonNode root) {
        return root.has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
    }

    private static String stripParameters(String contentType) {
        int semicolon = contentType.indexOf(';');
        String bare = semicolon >= 0 ? contentType.substring(0, semicolon) : contentType;
        return bare.trim().toLowerCase(Locale.ROOT);
    }

    private static Descriptor descriptor(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw invalid(where + " must be a descriptor object");
        }
        String mediaType = textOrNull(node, "mediaType");
        if (mediaType == null) {
            throw invalid(where + " descriptor has no mediaType");
        }
        String digestText = textOrNull(node, "digest");
        Digest digest = Digest.tryParse(digestText).orElseThrow(
                () -> invalid(where + " descriptor has an invalid digest '" + digestText + "'"));
        JsonNode size = node.get("size");
        if (size == null || !size.canConvertToLong() || !size.isIntegralNumber() || size.asLong() < 0) {
            throw invalid(where + " descriptor " + digest + " has no valid size");
        }
        String annotations = annotations(node, where + ".annotations");
        return new Descriptor(mediaType, digest, size.asLong(), textOrNull(node, "artifactType"), annotations);
    }

    /**
     * The {@code annotations} of {@code node} as JSON text, or null. The image spec requires a map of
     * strings to strings; anything else would make every referrers list that copies it unreadable.
     */
    private static String annotations(JsonNode node, String where) {
        JsonNode value = node.get("annotations");
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            throw invalid(where + " must be a JSON object");
        }
        for (var entry : value.properties()) {
            if (!entry.getValue().isTextual()) {
                throw invalid(where + " must map strings to strings, but '" + entry.getKey() + "' is "
                        + entry.getValue().getNodeType().toString().toLowerCase(Locale.ROOT));
            }
        }
        return value.toString();
    }

    /** A string field, or null when it is absent or JSON null; any other type is invalid. */
    private static String textOrNull(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw invalid("\"" + field + "\" must be a string, not " + value.getNodeType().toString().toLowerCase(Locale.ROOT));
        }
        return value.asText();
    }

    private static RegistryException invalid(String message) {
        return new RegistryException(ErrorCode.MANIFEST_INVALID, message);
    }
}
