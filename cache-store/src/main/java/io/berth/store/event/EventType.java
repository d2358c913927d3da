package io.berth.store.event;

/** What happened to the registry's content. Stored by name: never rename a constant. */
public enum EventType {
    /** A manifest was stored; with a tag when it was pushed by tag (which may have moved the tag). */
    PUSHED,
    /** A tag was deleted; the artifact it named stays. */
    TAG_DELETED,
    /** An artifact was deleted by digest, and its tags with it. */
    DELETED,
    /** A manifest was served; identical pulls close together are one event with a count. */
    PULLED,
    /** An artifact (by digest) was given a label, named in the event's detail ({@link RegistryEvent#label}). */
    LABEL_ADDED,
    /** A label (named in the event's detail) was taken off an artifact (by digest). */
    LABEL_REMOVED
}
