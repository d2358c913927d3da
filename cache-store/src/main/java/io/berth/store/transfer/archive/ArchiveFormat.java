package io.berth.store.transfer.archive;

/** The kinds of image archive an import reads. */
public enum ArchiveFormat {
    /** An OCI image layout, a folder or a tar of one (a Berth bundle is one, possibly split). */
    OCI_LAYOUT("OCI image layout"),
    /** {@code docker save} before docker 25: {@code manifest.json}, {@code <id>.json}, {@code <id>/layer.tar}. */
    DOCKER_SAVE_LEGACY("docker save archive"),
    /** {@code docker save} of docker 25 and later: an OCI layout with docker's {@code manifest.json} beside it. */
    DOCKER_SAVE_OCI("docker save archive (OCI layout)"),
    /** {@code skopeo copy … dir:}: {@code manifest.json}, blobs named by their hex digest, {@code version}. */
    SKOPEO_DIR("skopeo dir: folder");

    private final String label;

    ArchiveFormat(String label) {
        this.label = label;
    }

    /** The name people know the format by. */
    public String label() {
        return label;
    }
}
