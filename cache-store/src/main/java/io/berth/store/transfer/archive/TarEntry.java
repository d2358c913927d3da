package io.berth.store.transfer.archive;

/**
 * One member of a tar as its header describes it: where its data starts in the archive, how long
 * it is, and for links the name they point to (already made relative to the archive root).
 */
record TarEntry(String name, Kind kind, long dataOffset, long size, String linkTarget) {

    /** What a member is; other tar types (devices, fifos) are kept as {@code OTHER} and never read. */
    enum Kind { FILE, DIRECTORY, SYMLINK, HARDLINK, OTHER }
}
