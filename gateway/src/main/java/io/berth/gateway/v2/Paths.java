package io.berth.gateway.v2;

/**
 * Path patterns of the V2 API. {@code name} is matched greedily and validated by the handler;
 * the upload routes come before the blob routes so that {@code .../blobs/uploads/<id>} is never
 * read as a blob.
 */
final class Paths {
    static final String NAME = "/v2/(?<name>.+)";
    static final String BASE = "/v2/?";
    static final String CATALOG = "/v2/_catalog";
    static final String UPLOADS = NAME + "/blobs/uploads/?";
    static final String UPLOAD = NAME + "/blobs/uploads/(?<uuid>[^/]+)";
    static final String BLOB = NAME + "/blobs/(?<digest>[^/]+)";
    static final String MANIFEST = NAME + "/manifests/(?<reference>[^/]+)";
    static final String TAGS = NAME + "/tags/list";
    static final String REFERRERS = NAME + "/referrers/(?<digest>[^/]+)";

    private Paths() {
    }

    static String blobLocation(String name, String digest) {
        return "/v2/" + name + "/blobs/" + digest;
    }

    static String uploadLocation(String name, String uuid) {
        return "/v2/" + name + "/blobs/uploads/" + uuid;
    }

    static String manifestLocation(String name, String digest) {
        return "/v2/" + name + "/manifests/" + digest;
    }
}
