package io.berth.store.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.store.Caller;
import io.berth.store.oci.Digest;
import io.berth.store.oci.RepositoryName;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;

/**
 * One entry of the event outbox. Names and digests are plain strings, not the validating types
 * the writer uses: the log keeps what was true when it was written, and reading old entries must
 * never fail because a rule changed since.
 *
 * @param id         position in the log, assigned by {@link Outbox#append}; 0 before that
 * @param type       what happened
 * @param occurredAt when (for coalesced pulls: the first of them), to the microsecond the databases keep
 * @param repository the repository's name
 * @param digest     the manifest's digest; null for a tag delete whose target the writer did not look up
 * @param mediaType  the manifest's media type, when known
 * @param tag        the tag pushed, pulled or deleted; null for actions by digest
 * @param caller     who did it, and from where
 * @param count      how many identical events this entry stands for (pulls); 1 otherwise
 * @param detail     a JSON object with what a later kind of event needs beyond these fields, or null;
 *                   for a label change {@code {"label": name}}
 */
public record RegistryEvent(long id, EventType type, Instant occurredAt, String repository, String digest,
                            String mediaType, String tag, Caller caller, int count, String detail) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LABEL = "label";

    public RegistryEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(caller, "caller");
        occurredAt = Objects.requireNonNull(occurredAt, "occurredAt").truncatedTo(ChronoUnit.MICROS);
        if (id < 0 || count < 1) {
            throw new IllegalArgumentException("an event needs id >= 0 and count >= 1, not " + id + " and " + count);
        }
    }

    /** A manifest stored in {@code repository}, under {@code tag} or (null) by digest only. */
    public static RegistryEvent pushed(Instant at, RepositoryName repository, Digest digest, String mediaType,
                                       String tag, Caller caller) {
        return new RegistryEvent(0, EventType.PUSHED, at, repository.value(), digest.toString(), mediaType, tag,
                caller, 1, null);
    }

    /** {@code tag} deleted from {@code repository}; {@code digest} is what it named, or null. */
    public static RegistryEvent tagDeleted(Instant at, RepositoryName repository, String tag, Digest digest,
                                           Caller caller) {
        return new RegistryEvent(0, EventType.TAG_DELETED, at, repository.value(),
                digest == null ? null : digest.toString(), null, tag, caller, 1, null);
    }

    /** The artifact {@code digest} deleted from {@code repository}, with its tags. */
    public static RegistryEvent deleted(Instant at, RepositoryName repository, Digest digest, Caller caller) {
        return new RegistryEvent(0, EventType.DELETED, at, repository.value(), digest.toString(), null, null,
                caller, 1, null);
    }

    /** {@code count} identical pulls of a manifest, the first of them at {@code at}. */
    public static RegistryEvent pulled(Instant at, RepositoryName repository, Digest digest, String mediaType,
                                       String tag, Caller caller, int count) {
        return new RegistryEvent(0, EventType.PULLED, at, repository.value(), digest.toString(), mediaType, tag,
                caller, count, null);
    }

    /** The label {@code label} put on the artifact {@code digest} of {@code repository}. */
    public static RegistryEvent labelAdded(Instant at, RepositoryName repository, Digest digest, String label,
                                           Caller caller) {
        return new RegistryEvent(0, EventType.LABEL_ADDED, at, repository.value(), digest.toString(), null, null,
                caller, 1, labelDetail(label));
    }

    /** The label {@code label} taken off the artifact {@code digest} of {@code repository}. */
    public static RegistryEvent labelRemoved(Instant at, RepositoryName repository, Digest digest, String label,
                                             Caller caller) {
        return new RegistryEvent(0, EventType.LABEL_REMOVED, at, repository.value(), digest.toString(), null, null,
                caller, 1, labelDetail(label));
    }

    /** The label a label change names; null for other events, or for a detail that names none. */
    public String label() {
        if (detail == null || (type != EventType.LABEL_ADDED && type != EventType.LABEL_REMOVED)) {
            return null;
        }
        try {
            JsonNode label = JSON.readTree(detail).get(LABEL);
            return label != null && label.isTextual() ? label.asText() : null;
        } catch (JsonProcessingException e) {
            return null; // an old entry must never fail a reader
        }
    }

    private static String labelDetail(String label) {
        try {
            return JSON.writeValueAsString(Map.of(LABEL, Objects.requireNonNull(label, "label")));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a label name that JSON cannot hold", e);
        }
    }

    /** This event at position {@code position} of the log. */
    public RegistryEvent withId(long position) {
        return new RegistryEvent(position, type, occurredAt, repository, digest, mediaType, tag, caller, count, detail);
    }

    /** This event with a JSON {@code detail} object. */
    public RegistryEvent withDetail(String json) {
        return new RegistryEvent(id, type, occurredAt, repository, digest, mediaType, tag, caller, count, json);
    }
}
