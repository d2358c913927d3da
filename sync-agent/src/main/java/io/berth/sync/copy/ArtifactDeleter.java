package io.berth.sync.copy;

import io.berth.store.oci.Digest;
import io.berth.store.upstream.Upstream;
import io.berth.store.upstream.Upstream.ManifestHead;
import io.berth.store.upstream.UpstreamException;
import io.berth.store.upstream.UpstreamException.Kind;
import io.berth.store.upstream.UpstreamWriter;

import java.util.Optional;

/**
 * Replicates a deletion at the source to the destination, through the V2 API only, and never
 * deletes at the destination anything the source still has:
 * <ul>
 *   <li>A deleted <b>tag</b>: nothing happens while the source tags it again. Otherwise the
 *       destination's tag is looked up; when it points at another digest than the one deleted at
 *       the source and the policy's override is off, it is left alone (it is not this policy's).
 *       The tag is deleted ({@code DELETE /manifests/<tag>}, which Berth and OCI 1.1 registries
 *       allow); a registry that refuses tag deletes (Distribution 2.8 deletes by digest only) gets
 *       {@code DELETE /manifests/<digest>} of the digest its tag points at, but only when the
 *       source does not have that manifest any more: a delete by digest removes every tag of it, and
 *       the source could still tag it under another name.</li>
 *   <li>A deleted <b>manifest</b> (by digest): deleted at the destination when the source does not
 *       have it any more.</li>
 * </ul>
 * Nothing at the destination (404) counts as done: replaying a deletion changes nothing. A
 * destination that does not allow deletes fails with {@code UNSUPPORTED}, saying so. Blocks on
 * the network.
 */
public final class ArtifactDeleter {
    private final Upstream source;
    private final Upstream destination;
    private final UpstreamWriter writer;
    private final boolean override;

    /** @param override the policy's override: whether a destination tag pointing elsewhere is the policy's to change */
    public ArtifactDeleter(Upstream source, Upstream destination, UpstreamWriter writer, boolean override) {
        this.source = source;
        this.destination = destination;
        this.writer = writer;
        this.override = override;
    }

    /**
     * Deletes at {@code destRepository} what deleting {@code tag} (null: the manifest {@code digest})
     * at {@code sourceRepository} removed; true when something was deleted, false when there was
     * nothing to delete or it must stay (the log says which).
     *
     * @param digest the manifest digest the deletion concerned, or null when only the tag is known
     */
    public boolean delete(String sourceRepository, String tag, Digest digest, String destRepository, CopyLog log)
            throws UpstreamException {
        if (tag == null) {
            return deleteManifest(sourceRepository, digest, destRepository, log, null);
        }
        Optional<ManifestHead> again = source.headManifest(sourceRepository, tag);
        if (again.isPresent()) {
            log.add("skipped: the source tags " + sourceRepository + ":" + tag + " again (" + again.get().digest()
                    + "): nothing deleted");
            return false;
        }
        Optional<ManifestHead> there = destination.headManifest(destRepository, tag);
        if (there.isEmpty()) {
            log.add("skipped: " + destRepository + ":" + tag + " is not at the destination (deleted already)");
            return false;
        }
        Digest current = there.get().digest();
        if (digest != null && !current.equals(digest) && !override) {
            log.add("skipped: " + destRepository + ":" + tag + " points at " + current + ", not at the deleted "
                    + digest + ", and the policy's override is off: left as it is");
            return false;
        }
        UpstreamException refused = null;
        try {
            writer.deleteManifest(destRepository, tag);
        } catch (UpstreamException e) {
            if (e.kind() != Kind.REJECTED && e.kind() != Kind.UNSUPPORTED) {
                throw e;
            }
            refused = e;
        }
        // Checked again: a registry may answer a tag delete it does not support with 404, or with 202 and do nothing.
        if (destination.headManifest(destRepository, tag).isEmpty()) {
            log.add("deleted the tag " + destRepository + ":" + tag + " (it pointed at " + current + ")");
            return true;
        }
        log.add("the destination did not delete the tag " + tag + (refused == null ? "" : " (" + refused.getMessage()
                + ")") + "; deleting by digest instead, as it allows");
        return deleteManifest(sourceRepository, current, destRepository, log, refused);
    }

    private boolean deleteManifest(String sourceRepository, Digest digest, String destRepository, CopyLog log,
                                   UpstreamException tagRefusal) throws UpstreamException {
        if (source.headManifest(sourceRepository, digest.toString()).isPresent()) {
            log.add("skipped: the source still has " + sourceRepository + "@" + digest + " (under another tag, or"
                    + " untagged), and a delete by digest would remove it at the destination with every tag it has"
                    + " there: left as it is" + (tagRefusal != null && tagRefusal.kind() == Kind.UNSUPPORTED
                    ? "; note that the destination refused to delete the tag: " + tagRefusal.getMessage() : ""));
            return false;
        }
        boolean deleted;
        try {
            deleted = writer.deleteManifest(destRepository, digest.toString());
        } catch (UpstreamException e) {
            if (e.kind() == Kind.UNSUPPORTED || e.status() == 405) {
                throw new UpstreamException(Kind.UNSUPPORTED, e.status(), null, e.registryCode().orElse(null),
                        "the destination does not allow deletes, so the deletion of " + destRepository + "@" + digest
                        + " cannot be replicated: allow deletes there (CNCF Distribution: storage.delete.enabled),"
                        + " or turn the policy's replicateDeletion off (" + e.getMessage() + ")", e);
            }
            throw e;
        }
        log.add(deleted ? "deleted " + destRepository + "@" + digest + " (with every tag of it at the destination)"
                : "skipped: " + destRepository + "@" + digest + " is not at the destination (deleted already)");
        return deleted;
    }
}
