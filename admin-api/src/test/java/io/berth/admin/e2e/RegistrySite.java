package io.berth.admin.e2e;

/**
 * A registry that a replication IT reads from or writes to, as clients reach it: its
 * {@code 127.0.0.1:port}, the {@code user:password} skopeo signs in with (null: none), a V2 client
 * signed in the same way, and whether it serves the OCI referrers API (Berth) or only the fallback
 * tag schema (CNCF Distribution 2.8).
 */
record RegistrySite(String name, String hostPort, String credentials, V2Client v2, boolean referrersApi) {
    /** A Berth, signed in as its admin. */
    static RegistrySite of(BerthProcess berth, String name) {
        return new RegistrySite(name, berth.hostPort(), berth.adminCredentials(), berth.v2(), true);
    }

    /** A CNCF Distribution without authentication. */
    static RegistrySite of(DistributionProcess distribution) {
        return new RegistrySite("distribution", distribution.hostPort(), null,
                V2Client.anonymous(distribution.url("/")), false);
    }

    /** {@code docker://127.0.0.1:port/<repositoryAndReference>}, as skopeo takes it. */
    String docker(String repositoryAndReference) {
        return "docker://" + hostPort + "/" + repositoryAndReference;
    }
}
