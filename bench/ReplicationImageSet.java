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
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes the image set of bench/replication into one OCI layout: COUNT single-platform images
 * (tags {@code img01}, {@code img02}, …) of mixed sizes that share base layers, as the images of a
 * real site do. Three base layers (together about 15% of TOTAL) are each the first layer of a third
 * of the images; each image then has an application layer (sizes cycle through uneven weights, a
 * few large, most small, scaled so that all unique bytes add up to about TOTAL) and a 4 KiB layer of
 * its own. Layer content is random (incompressible), packed in a tar, gzipped without compression
 * (fast, and gzip cannot shrink random bytes anyway); the config's {@code diff_ids} are the tars'
 * digests, so real clients can unpack the images. Seeded: the same arguments give the same digests.
 *
 * <pre>java bench/ReplicationImageSet.java DIR COUNT TOTAL   (TOTAL with K, M or G: 1G, 200M)</pre>
 *
 * Prints one line per image, {@code TAG MANIFEST_DIGEST BYTES} (its config and layers), and last
 * {@code total UNIQUE_BYTES}, the bytes of every distinct blob.
 */
public final class ReplicationImageSet {
    private static final int[] WEIGHTS = {1, 2, 6, 1, 3, 12, 1, 2, 4, 24};
    private static final long SMALL_LAYER = 4096;

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: java bench/ReplicationImageSet.java DIR COUNT TOTAL");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        long total = size(args[2]);
        Files.createDirectories(dir.resolve("blobs/sha256"));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");

        long baseBytes = total * 15 / 100 / 3;
        long weightSum = 0;
        for (int i = 0; i < count; i++) {
            weightSum += WEIGHTS[i % WEIGHTS.length];
        }
        long appUnit = Math.max(SMALL_LAYER, (total - 3 * baseBytes - count * SMALL_LAYER) / Math.max(1, weightSum));
        List<Layer> bases = new ArrayList<>();
        for (int b = 0; b < 3; b++) {
            bases.add(layer(dir, 1000 + b, baseBytes));
        }
        long unique = 0;
        for (Layer base : bases) {
            unique += base.size;
        }
        StringBuilder index = new StringBuilder();
        for (int i = 0; i < count; i++) {
            String tag = String.format("img%02d", i + 1);
            List<Layer> layers = List.of(bases.get(i % 3), layer(dir, 2000 + i, appUnit * WEIGHTS[i % WEIGHTS.length]),
                    layer(dir, 3000 + i, SMALL_LAYER));
            byte[] config = config(tag, layers);
            String configDigest = blob(dir, config);
            StringBuilder manifest = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                    + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest
                    + "\",\"size\":" + config.length + "},\"layers\":[");
            long bytes = config.length;
            for (int l = 0; l < layers.size(); l++) {
                manifest.append(l == 0 ? "" : ",").append("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
                        + "\"digest\":\"").append(layers.get(l).digest).append("\",\"size\":").append(layers.get(l).size).append('}');
                bytes += layers.get(l).size;
            }
            byte[] manifestBytes = manifest.append("]}").toString().getBytes(StandardCharsets.UTF_8);
            String digest = blob(dir, manifestBytes);
            unique += config.length + layers.get(1).size + layers.get(2).size;
            index.append(i == 0 ? "" : ",").append("{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"")
                    .append(digest).append("\",\"size\":").append(manifestBytes.length)
                    .append(",\"annotations\":{\"org.opencontainers.image.ref.name\":\"").append(tag).append("\"}}");
            System.out.println(tag + " " + digest + " " + bytes);
        }
        Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"mediaType\":"
                + "\"application/vnd.oci.image.index.v1+json\",\"manifests\":[" + index + "]}");
        System.out.println("total " + unique);
    }

    private record Layer(String digest, long size, String diffId) {}

    private static byte[] config(String tag, List<Layer> layers) {
        StringBuilder diffIds = new StringBuilder();
        for (Layer layer : layers) {
            diffIds.append(diffIds.isEmpty() ? "" : ",").append('"').append(layer.diffId).append('"');
        }
        return ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"2024-01-01T00:00:00Z\",\"config\":{\"Cmd\":[\"/bin/sh\"],"
                + "\"Labels\":{\"io.berth.bench.image\":\"" + tag + "\"}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":["
                + diffIds + "]}}").getBytes(StandardCharsets.UTF_8);
    }

    /** A gzipped tar holding one file of {@code bytes} random bytes, written as a blob. */
    private static Layer layer(Path dir, long seed, long bytes) throws IOException {
        Path tmp = Files.createTempFile(dir.resolve("blobs/sha256"), ".layer", ".tmp");
        MessageDigest blobSha = sha256();
        MessageDigest tarSha = sha256();
        Counting counted;
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
            counted = new Counting(file, blobSha);
            GZIPOutputStream gzip = new GZIPOutputStream(counted, 1 << 16) {
                {
                    def.setLevel(Deflater.NO_COMPRESSION);
                }
            };
            Counting tar = new Counting(gzip, tarSha);
            tar.write(header("data/layer-" + seed + ".bin", bytes));
            SplittableRandom random = new SplittableRandom(seed);
            byte[] buf = new byte[1 << 16];
            for (long left = bytes; left > 0; left -= buf.length) {
                for (int i = 0; i < buf.length; i += 8) {
                    long v = random.nextLong();
                    for (int k = 0; k < 8; k++) {
                        buf[i + k] = (byte) (v >>> (8 * k));
                    }
                }
                tar.write(buf, 0, (int) Math.min(buf.length, left));
            }
            tar.write(new byte[(int) ((512 - bytes % 512) % 512) + 1024]);
            gzip.finish();
        }
        String digest = "sha256:" + HexFormat.of().formatHex(blobSha.digest());
        Files.move(tmp, dir.resolve("blobs/sha256").resolve(digest.substring(7)), StandardCopyOption.REPLACE_EXISTING);
        return new Layer(digest, counted.count, "sha256:" + HexFormat.of().formatHex(tarSha.digest()));
    }

    private static byte[] header(String name, long size) {
        byte[] h = new byte[512];
        put(h, 0, name);
        put(h, 100, "0000644");
        put(h, 108, "0000000");
        put(h, 116, "0000000");
        put(h, 124, String.format("%011o", size));
        put(h, 136, String.format("%011o", 1704067200L));
        put(h, 148, "        ");
        h[156] = '0';
        put(h, 257, "ustar\u000000");
        int sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, String.format("%06o\u0000 ", sum));
        return h;
    }

    private static void put(byte[] h, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, at, b.length);
    }

    private static String blob(Path dir, byte[] content) throws IOException {
        String digest = "sha256:" + HexFormat.of().formatHex(sha256().digest(content));
        Files.write(dir.resolve("blobs/sha256").resolve(digest.substring(7)), content);
        return digest;
    }

    private static long size(String s) {
        String t = s.trim().toUpperCase();
        long unit = switch (t.charAt(t.length() - 1)) {
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            case 'G' -> 1L << 30;
            default -> 1;
        };
        return Long.parseLong(unit == 1 ? t : t.substring(0, t.length() - 1)) * unit;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Counts and hashes what passes through. */
    private static final class Counting extends OutputStream {
        private final OutputStream out;
        private final MessageDigest sha;
        long count;

        Counting(OutputStream out, MessageDigest sha) {
            this.out = out;
            this.sha = sha;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            sha.update(b, off, len);
            out.write(b, off, len);
            count += len;
        }
    }
}
