package io.berth.store.transfer.archive;

/** Docker's short names made full, as docker itself reads them: {@code nginx:1.27} → {@code docker.io/library/nginx:1.27}. */
final class ImageNames {
    private ImageNames() {
    }

    /** The full reference a docker {@code RepoTags} entry means; a name with a registry host is kept as it is. */
    static String fullReference(String familiar) {
        int slash = familiar.indexOf('/');
        if (slash < 0) {
            return "docker.io/library/" + familiar;
        }
        String first = familiar.substring(0, slash);
        boolean isHost = first.contains(".") || first.contains(":") || first.equals("localhost");
        return isHost ? familiar : "docker.io/" + familiar;
    }
}
