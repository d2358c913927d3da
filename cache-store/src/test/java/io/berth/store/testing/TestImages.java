package io.berth.store.testing;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * Writes deterministic OCI image layouts ({@code oci-layout}, {@code index.json},
 * {@code blobs/sha256/<hex>}) for tests and benchmarks, offline and with the JDK only.
 *
 * <p>The same arguments always give byte-identical blobs and digests, on any JDK: layer
 * content comes from a seeded {@link SplittableRandom} (incompressible), is packed into a
 * hand-written ustar archive (fixed mtime, uid/gid 0, modes 0644/0755) and wrapped in gzip
 * made of <em>stored</em> deflate blocks (mtime 0, no name). Stored blocks are chosen on
 * purpose: {@code GZIPOutputStream} output depends on the zlib the JDK links (system or
 * bundled, and its version), so its digests may differ between machines; random data does
 * not compress anyway. The config's {@code rootfs.diff_ids} are the sha256 of the tars.
 * {@code index.json} is merged: an existing entry with the same tag is replaced, others kept.
 *
 * <p>Command line (Java single-file source launch, no compilation step):
 * <pre>
 * java cache-store/src/test/java/io/berth/store/testing/TestImages.java single DIR TAG SEED LAYERS BYTES [ARCH]
 * java .../TestImages.java multi DIR TAG SEED BYTES amd64,arm64,arm/v7
 * java .../TestImages.java artifact DIR SUBJECT_DIGEST SUBJECT_SIZE SUBJECT_MEDIA_TYPE ARTIFACT_TYPE SEED [TAG]
 * </pre>
 * BYTES takes a suffix K, M, G (binary). It prints one line per object written:
 * {@code manifest|index|config|layer|artifact DIGEST SIZE [arch]} (blob paths are
 * {@code DIR/blobs/sha256/<hex>}). Or compile with {@code javac -d OUT TestImages.java} and
 * run {@code java -cp OUT io.berth.store.testing.TestImages ...}.
 */
public final class TestImages {

    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";
    public static final String EMPTY_DIGEST =
            "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
    public static final String REF_NAME = "org.opencontainers.image.ref.name";
    /** Fixed timestamp of every tar entry and config: 2024-01-01T00:00:00Z. */
    public static final long MTIME = 1704067200L;
    private static final String CREATED = "2024-01-01T00:00:00Z";
    private static final int STORED_BLOCK = 65535;

    /** One image: its manifest (digest, size, exact bytes), its config and its layers. */
    public record Image(String manifestDigest, long manifestSize, String configDigest,
                        List<String> layerDigests, byte[] manifestBytes) {}

    /** A multi-arch image: the OCI image index and the per-platform images, in order. */
    public record Index(String indexDigest, long indexSize, List<Image> images, byte[] indexBytes) {}

    /** An artifact manifest that refers to a subject; {@code layerDigest} is its one blob. */
    public record Artifact(String manifestDigest, long manifestSize, String layerDigest,
                           byte[] manifestBytes) {}

    private TestImages() {}

    /**
     * Writes a single-platform image ({@code linux/arch}, arch may be {@code arm/v7}) with
     * {@code layers} gzipped tar layers of about {@code bytesPerLayer} bytes of random file
     * content each, into {@code layoutDir} (created if needed), and tags it in index.json.
     *
     * @return the manifest's digest, size and bytes, the config digest and the layer digests
     */
    public static Image singleArch(Path layoutDir, String tag, long seed, int layers,
                                   long bytesPerLayer, String arch) throws IOException {
        Image image = writeImage(layoutDir, seed, layers, bytesPerLayer, arch);
        tag(layoutDir, tag, descriptor(OCI_MANIFEST, image.manifestDigest(), image.manifestSize(), null, tag));
        return image;
    }

    /**
     * Writes one image per entry of {@code arches} (two layers of
     * {@code bytesPerLayer} each, a different random content per arch) and an OCI image index
     * whose descriptors carry the platform, and tags the index in index.json.
     *
     * @return the index's digest, size and bytes, and the images in the order of {@code arches}
     */
    public static Index multiArch(Path layoutDir, String tag, long seed, List<String> arches,
                                  long bytesPerLayer) throws IOException {
        List<Image> images = new ArrayList<>();
        StringBuilder json = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":[");
        for (int i = 0; i < arches.size(); i++) {
            String arch = arches.get(i);
            Image image = writeImage(layoutDir, seed ^ (0x9E3779B97F4A7C15L * (arch.hashCode() + 1L)), 2, bytesPerLayer, arch);
            images.add(image);
            json.append(i == 0 ? "" : ",").append(descriptor(OCI_MANIFEST, image.manifestDigest(), image.manifestSize(), arch, null));
        }
        byte[] bytes = json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        String digest = writeBlob(layoutDir, bytes);
        tag(layoutDir, tag, descriptor(OCI_INDEX, digest, bytes.length, null, tag));
        return new Index(digest, bytes.length, List.copyOf(images), bytes);
    }

    /**
     * Writes an OCI artifact manifest (untagged) with {@code artifactType}, the empty config
     * descriptor, one small random layer and {@code subject} pointing at the given manifest.
     */
    public static Artifact artifactWithSubject(Path layoutDir, String subjectDigest, long subjectSize,
                                               String subjectMediaType, String artifactType, long seed) throws IOException {
        return artifactWithSubject(layoutDir, subjectDigest, subjectSize, subjectMediaType, artifactType, seed, null);
    }

    /**
     * As {@link #artifactWithSubject(Path, String, long, String, String, long)}, and tags the
     * artifact manifest in index.json when {@code tag} is not null.
     */
    public static Artifact artifactWithSubject(Path layoutDir, String subjectDigest, long subjectSize,
                                               String subjectMediaType, String artifactType, long seed,
                                               String tag) throws IOException {
        init(layoutDir);
        writeBlob(layoutDir, "{}".getBytes(StandardCharsets.US_ASCII));
        SplittableRandom random = new SplittableRandom(seed);
        byte[] noise = new byte[64];
        fill(random, noise, noise.length);
        byte[] layer = ("{\"seed\":" + seed + ",\"noise\":\"" + HexFormat.of().formatHex(noise) + "\"}\n")
                .getBytes(StandardCharsets.UTF_8);
        String layerDigest = writeBlob(layoutDir, layer);
        String json = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"artifactType\":" + str(artifactType)
                + ",\"config\":" + descriptor(OCI_EMPTY, EMPTY_DIGEST, 2, null, null)
                + ",\"layers\":[{\"mediaType\":\"application/vnd.berth.test.payload.v1+json\",\"digest\":\"" + layerDigest
                + "\",\"size\":" + layer.length + ",\"annotations\":{\"org.opencontainers.image.title\":\"payload-" + seed + ".json\"}}]"
                + ",\"subject\":" + descriptor(subjectMediaType, subjectDigest, subjectSize, null, null)
                + ",\"annotations\":{\"org.opencontainers.image.created\":\"" + CREATED + "\"}}";
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        String digest = writeBlob(layoutDir, bytes);
        if (tag != null) {
            tag(layoutDir, tag, descriptor(OCI_MANIFEST, digest, bytes.length, null, tag));
        }
        return new Artifact(digest, bytes.length, layerDigest, bytes);
    }

    /** Path of the blob file for a digest ({@code sha256:<hex>}) in a layout. */
    public static Path blobPath(Path layoutDir, String digest) {
        return layoutDir.resolve("blobs").resolve("sha256").resolve(digest.substring("sha256:".length()));
    }

    // ---- images --------------------------------------------------------------------------

    private static Image writeImage(Path dir, long seed, int layers, long bytesPerLayer, String arch) throws IOException {
        if (layers < 1) throw new IllegalArgumentException("layers must be >= 1");
        init(dir);
        List<String> layerDigests = new ArrayList<>();
        List<Long> layerSizes = new ArrayList<>();
        List<String> diffIds = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            String[] written = writeLayer(dir, mix(seed, i), i, bytesPerLayer);
            layerDigests.add(written[0]);
            layerSizes.add(Long.parseLong(written[1]));
            diffIds.add(written[2]);
        }
        String[] platform = arch.split("/", 2);
        StringBuilder config = new StringBuilder("{\"architecture\":").append(str(platform[0]));
        if (platform.length > 1) config.append(",\"variant\":").append(str(platform[1]));
        config.append(",\"os\":\"linux\",\"created\":\"" + CREATED + "\",\"config\":{\"Env\":[\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"],")
                .append("\"Cmd\":[\"/bin/sh\"],\"Labels\":{\"io.berth.test.seed\":\"").append(seed).append("\"}},")
                .append("\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[");
        StringBuilder history = new StringBuilder("]},\"history\":[");
        for (int i = 0; i < layers; i++) {
            config.append(i == 0 ? "" : ",").append('"').append(diffIds.get(i)).append('"');
            history.append(i == 0 ? "" : ",").append("{\"created\":\"" + CREATED + "\",\"created_by\":\"berth TestImages layer ")
                    .append(i).append("\"}");
        }
        byte[] configBytes = config.append(history).append("]}").toString().getBytes(StandardCharsets.UTF_8);
        String configDigest = writeBlob(dir, configBytes);
        StringBuilder manifest = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":")
                .append(descriptor(OCI_CONFIG, configDigest, configBytes.length, null, null)).append(",\"layers\":[");
        for (int i = 0; i < layers; i++) {
            manifest.append(i == 0 ? "" : ",").append(descriptor(OCI_LAYER_GZIP, layerDigests.get(i), layerSizes.get(i), null, null));
        }
        byte[] manifestBytes = manifest.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        String manifestDigest = writeBlob(dir, manifestBytes);
        return new Image(manifestDigest, manifestBytes.length, configDigest, List.copyOf(layerDigests), manifestBytes);
    }

    /** Returns {digest, size, diffId} of a layer written as a blob. */
    private static String[] writeLayer(Path dir, long seed, int index, long bytes) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        int files = bytes < 3 * 4096 ? 1 : 1 + random.nextInt(3);
        Path tmp = Files.createTempFile(dir.resolve("blobs/sha256"), ".layer", ".tmp");
        MessageDigest blobSha = sha256();
        MessageDigest tarSha = sha256();
        long size;
        try {
            try (DigestingOut blobOut = new DigestingOut(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16), blobSha)) {
                StoredGzip gzip = new StoredGzip(blobOut);
                DigestingOut tar = new DigestingOut(gzip, tarSha);
                String base = "data/layer" + index + "-" + Long.toHexString(seed) + "/";
                tar.write(tarHeader(base, 0, '5', "0000755"));
                byte[] buf = new byte[1 << 16];
                for (int f = 0; f < files; f++) {
                    long n = f < files - 1 ? bytes / files : bytes - (bytes / files) * (files - 1);
                    tar.write(tarHeader(base + "file" + f + ".bin", n, '0', "0000644"));
                    for (long left = n; left > 0; ) {
                        int chunk = (int) Math.min(buf.length, left);
                        fill(random, buf, chunk);
                        tar.write(buf, 0, chunk);
                        left -= chunk;
                    }
                    tar.write(new byte[(int) ((512 - n % 512) % 512)]);
                }
                tar.write(new byte[1024]);
                gzip.finish();
                size = blobOut.count;
            }
            return new String[] {commit(dir, tmp, blobSha), Long.toString(size), "sha256:" + HexFormat.of().formatHex(tarSha.digest())};
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** A ustar header with fixed owner, group and mtime. */
    static byte[] tarHeader(String name, long size, char type, String mode) {
        if (name.length() > 100) throw new IllegalArgumentException("tar name too long: " + name);
        if (size >= 077777777777L) throw new IllegalArgumentException("tar entry too large: " + size);
        byte[] h = new byte[512];
        put(h, 0, name);
        put(h, 100, mode);
        put(h, 108, "0000000");
        put(h, 116, "0000000");
        put(h, 124, String.format("%011o", size));
        put(h, 136, String.format("%011o", MTIME));
        put(h, 148, "        ");
        h[156] = (byte) type;
        put(h, 257, "ustar\u000000root");                  // magic "ustar\0", version "00", uname
        put(h, 297, "root");
        put(h, 329, "0000000");                             // devmajor, devminor
        put(h, 337, "0000000");
        int sum = 0;
        for (byte b : h) sum += b & 0xff;
        put(h, 148, String.format("%06o\u0000 ", sum));
        return h;
    }

    private static void put(byte[] h, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, at, b.length);
    }

    /** Fills buf[0..n) from the generator, 8 bytes per nextLong, little-endian. */
    private static void fill(SplittableRandom random, byte[] buf, int n) {
        for (int i = 0; i < n; i += 8) {
            long v = random.nextLong();
            for (int k = 0; k < 8 && i + k < n; k++) buf[i + k] = (byte) (v >>> (8 * k));
        }
    }

    private static long mix(long seed, int i) {
        long z = seed + 0x9E3779B97F4A7C15L * (i + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    // ---- layout ---------------------------------------------------------------------------

    private static void init(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("blobs/sha256"));
        Path layout = dir.resolve("oci-layout");
        if (!Files.exists(layout)) Files.writeString(layout, "{\"imageLayoutVersion\":\"1.0.0\"}");
        if (!Files.exists(dir.resolve("index.json"))) writeIndexJson(dir, List.of());
    }

    private static String writeBlob(Path dir, byte[] content) throws IOException {
        Path tmp = Files.createTempFile(dir.resolve("blobs/sha256"), ".blob", ".tmp");
        try {
            Files.write(tmp, content);
            MessageDigest sha = sha256();
            sha.update(content);
            return commit(dir, tmp, sha);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String commit(Path dir, Path tmp, MessageDigest sha) throws IOException {
        String digest = "sha256:" + HexFormat.of().formatHex(sha.digest());
        Files.move(tmp, blobPath(dir, digest), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return digest;
    }

    private static final Pattern REF = Pattern.compile("\"" + Pattern.quote(REF_NAME) + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** Adds a descriptor to index.json, replacing any entry that carries the same tag. */
    private static void tag(Path dir, String tag, String descriptorJson) throws IOException {
        String escaped = str(tag).substring(1, str(tag).length() - 1);
        List<String> entries = new ArrayList<>();
        for (String entry : manifestEntries(Files.readString(dir.resolve("index.json")))) {
            Matcher m = REF.matcher(entry);
            if (!(m.find() && m.group(1).equals(escaped))) entries.add(entry);
        }
        entries.add(descriptorJson);
        writeIndexJson(dir, entries);
    }

    /** The raw JSON objects of the top-level "manifests" array (a small scanner, no library). */
    private static List<String> manifestEntries(String json) {
        List<String> out = new ArrayList<>();
        int at = json.indexOf("\"manifests\"");
        if (at < 0) return out;
        at = json.indexOf('[', at);
        int depth = 0, start = -1;
        boolean inString = false;
        for (int i = at + 1; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') i++;
                else if (c == '"') inString = false;
            } else if (c == '"') inString = true;
            else if (c == '{' && depth++ == 0) start = i;
            else if (c == '}' && --depth == 0) out.add(json.substring(start, i + 1));
            else if (c == ']' && depth == 0) break;
        }
        return out;
    }

    private static void writeIndexJson(Path dir, List<String> entries) throws IOException {
        String json = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":["
                + String.join(",", entries) + "]}";
        Path tmp = Files.createTempFile(dir, ".index", ".tmp");
        Files.writeString(tmp, json);
        Files.move(tmp, dir.resolve("index.json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String descriptor(String mediaType, String digest, long size, String platform, String tag) {
        StringBuilder b = new StringBuilder("{\"mediaType\":").append(str(mediaType))
                .append(",\"digest\":").append(str(digest)).append(",\"size\":").append(size);
        if (platform != null) {
            String[] p = platform.split("/", 2);
            b.append(",\"platform\":{\"architecture\":").append(str(p[0])).append(",\"os\":\"linux\"");
            if (p.length > 1) b.append(",\"variant\":").append(str(p[1]));
            b.append('}');
        }
        if (tag != null) b.append(",\"annotations\":{\"" + REF_NAME + "\":").append(str(tag)).append('}');
        return b.append('}').toString();
    }

    /** A JSON string literal. */
    private static String str(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }

    private static MessageDigest sha256() {
        try { return MessageDigest.getInstance("SHA-256"); } catch (NoSuchAlgorithmException e) { throw new IllegalStateException(e); }
    }

    /** Counts and hashes what passes through. */
    private static final class DigestingOut extends OutputStream {
        private final OutputStream out;
        private final MessageDigest sha;
        long count;

        DigestingOut(OutputStream out, MessageDigest sha) { this.out = out; this.sha = sha; }

        @Override public void write(int b) throws IOException { write(new byte[] {(byte) b}, 0, 1); }

        @Override public void write(byte[] b, int off, int len) throws IOException {
            sha.update(b, off, len);
            out.write(b, off, len);
            count += len;
        }

        @Override public void close() throws IOException { out.close(); }
    }

    /**
     * gzip (RFC 1952) of stored deflate blocks (RFC 1951 BTYPE=00), each full block 65535
     * bytes, the last one (possibly empty) marked final: the output depends only on the input.
     */
    private static final class StoredGzip extends OutputStream {
        private final OutputStream out;
        private final byte[] block = new byte[STORED_BLOCK];
        private final CRC32 crc = new CRC32();
        private int fill;
        private long total;

        StoredGzip(OutputStream out) throws IOException {
            this.out = out;
            out.write(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff});
        }

        @Override public void write(int b) throws IOException { write(new byte[] {(byte) b}, 0, 1); }

        @Override public void write(byte[] b, int off, int len) throws IOException {
            crc.update(b, off, len);
            total += len;
            while (len > 0) {
                if (fill == STORED_BLOCK) emit(false);
                int n = Math.min(len, STORED_BLOCK - fill);
                System.arraycopy(b, off, block, fill, n);
                fill += n;
                off += n;
                len -= n;
            }
        }

        private void emit(boolean last) throws IOException {
            out.write(new byte[] {(byte) (last ? 1 : 0), (byte) fill, (byte) (fill >>> 8), (byte) ~fill, (byte) (~fill >>> 8)});
            out.write(block, 0, fill);
            fill = 0;
        }

        void finish() throws IOException {
            emit(true);
            long c = crc.getValue();
            out.write(new byte[] {(byte) c, (byte) (c >>> 8), (byte) (c >>> 16), (byte) (c >>> 24),
                    (byte) total, (byte) (total >>> 8), (byte) (total >>> 16), (byte) (total >>> 24)});
        }
    }

    // ---- command line ---------------------------------------------------------------------

    /** CLI entry point; see the class Javadoc for the commands and their output. */
    public static void main(String[] args) throws IOException {
        try {
            switch (args.length == 0 ? "" : args[0]) {
                case "single" -> {
                    Image image = singleArch(Path.of(args[1]), args[2], Long.parseLong(args[3]), Integer.parseInt(args[4]),
                            parseSize(args[5]), args.length > 6 ? args[6] : "amd64");
                    print(Path.of(args[1]), image, args.length > 6 ? args[6] : "amd64");
                }
                case "multi" -> {
                    List<String> arches = List.of(args[5].split(","));
                    Index index = multiArch(Path.of(args[1]), args[2], Long.parseLong(args[3]), arches, parseSize(args[4]));
                    System.out.println("index " + index.indexDigest() + " " + index.indexSize());
                    for (int i = 0; i < arches.size(); i++) print(Path.of(args[1]), index.images().get(i), arches.get(i));
                }
                case "artifact" -> {
                    Artifact a = artifactWithSubject(Path.of(args[1]), args[2], Long.parseLong(args[3]), args[4], args[5],
                            Long.parseLong(args[6]), args.length > 7 ? args[7] : null);
                    System.out.println("artifact " + a.manifestDigest() + " " + a.manifestSize());
                }
                default -> throw new IllegalArgumentException("unknown command");
            }
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            System.err.println("error: " + e.getMessage() + "\nusage: TestImages single DIR TAG SEED LAYERS BYTES [ARCH]\n"
                    + "       TestImages multi DIR TAG SEED BYTES ARCH1,ARCH2,...\n"
                    + "       TestImages artifact DIR SUBJECT_DIGEST SUBJECT_SIZE SUBJECT_MEDIA_TYPE ARTIFACT_TYPE SEED [TAG]");
            System.exit(2);
        }
    }

    private static void print(Path dir, Image image, String arch) throws IOException {
        System.out.println("manifest " + image.manifestDigest() + " " + image.manifestSize() + " " + arch);
        System.out.println("config " + image.configDigest() + " " + Files.size(blobPath(dir, image.configDigest())) + " " + arch);
        for (String layer : image.layerDigests()) {
            System.out.println("layer " + layer + " " + Files.size(blobPath(dir, layer)) + " " + arch);
        }
    }

    /** A byte count with an optional binary suffix: 512, 64K, 128M, 1G (also KiB, MiB, GiB). */
    static long parseSize(String s) {
        String t = s.trim().toUpperCase().replace("IB", "").replace("B", "");
        long unit = switch (t.isEmpty() ? ' ' : t.charAt(t.length() - 1)) {
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            case 'G' -> 1L << 30;
            default -> 1;
        };
        return Long.parseLong(unit == 1 ? t : t.substring(0, t.length() - 1)) * unit;
    }
}
