import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes the tarball of bench/airgap: one image as {@code docker save} writes it in the legacy
 * format of docker 20.10 ({@code manifest.json}, the config as {@code <hex>.json}, each layer an
 * uncompressed {@code <dir>/layer.tar}), tagged {@code NAME}. LAYERS layers of equal size add up to
 * about TOTAL; each is a real tar holding one file of random (incompressible) bytes, and the
 * config's {@code diff_ids} are the layers' digests, so docker, skopeo and Berth read it as they
 * read a real save. Seeded: the same arguments give the same image ID.
 *
 * <pre>java bench/DockerSaveImage.java OUT.tar NAME:TAG LAYERS TOTAL   (TOTAL with K, M or G)</pre>
 *
 * Prints {@code layer <digest>} for each layer, {@code id sha256:<config digest>} and
 * {@code bytes <size of the tarball>}.
 */
public final class DockerSaveImage {
    private static final int BLOCK = 512;

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: java bench/DockerSaveImage.java OUT.tar NAME:TAG LAYERS TOTAL");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        String reference = args[1];
        int layers = Integer.parseInt(args[2]);
        long layerBytes = size(args[3]) / layers;
        List<String> diffIds = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        try (OutputStream tar = new BufferedOutputStream(Files.newOutputStream(out), 1 << 20)) {
            for (int i = 0; i < layers; i++) {
                String path = String.format("layer%02d/layer.tar", i);
                long tarSize = BLOCK + padded(layerBytes) + 2L * BLOCK;
                header(tar, path, tarSize);
                diffIds.add(layer(tar, i, layerBytes));
                pad(tar, tarSize);
                paths.add(path);
            }
            diffIds.forEach(d -> System.out.println("layer " + d));
            String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"/bin/sh\"]},"
                    + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + String.join("\",\"", diffIds) + "\"]},"
                    + "\"history\":[]}";
            String configHex = sha256(config.getBytes(StandardCharsets.UTF_8));
            file(tar, configHex + ".json", config);
            file(tar, "manifest.json", "[{\"Config\":\"" + configHex + ".json\",\"RepoTags\":[\"" + reference
                    + "\"],\"Layers\":[\"" + String.join("\",\"", paths) + "\"]}]");
            tar.write(new byte[2 * BLOCK]);
            System.out.println("id sha256:" + configHex);
        }
        System.out.println("bytes " + Files.size(out));
    }

    /** Writes layer {@code index} (a tar of one random file) and returns its digest. */
    private static String layer(OutputStream tar, int index, long bytes) throws IOException {
        MessageDigest sha = sha();
        OutputStream both = new DigestOutputStream(tar, sha);
        header(both, "data/file" + index, bytes);
        SplittableRandom random = new SplittableRandom(0xB1E55EDL + index);
        byte[] chunk = new byte[1 << 20];
        for (long left = bytes; left > 0; left -= chunk.length) {
            for (int j = 0; j < chunk.length; j += 8) {
                long v = random.nextLong();
                for (int k = 0; k < 8; k++) {
                    chunk[j + k] = (byte) (v >>> (k * 8));
                }
            }
            both.write(chunk, 0, (int) Math.min(chunk.length, left));
        }
        pad(both, bytes);
        both.write(new byte[2 * BLOCK]);
        return "sha256:" + HexFormat.of().formatHex(sha.digest());
    }

    private static void file(OutputStream tar, String name, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        header(tar, name, bytes.length);
        tar.write(bytes);
        pad(tar, bytes.length);
    }

    /** A ustar header for a regular file (mode 0644, uid/gid 0, mtime 0). */
    private static void header(OutputStream out, String name, long size) throws IOException {
        byte[] h = new byte[BLOCK];
        put(h, 0, name);
        put(h, 100, "0000644");
        put(h, 108, "0000000");
        put(h, 116, "0000000");
        put(h, 124, String.format("%011o", size));
        put(h, 136, "00000000000");
        h[156] = '0';
        put(h, 257, "ustar");
        put(h, 263, "00");
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, String.format("%06o", sum));
        h[154] = 0;
        out.write(h);
    }

    private static void put(byte[] h, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, at, b.length);
    }

    private static void pad(OutputStream out, long size) throws IOException {
        out.write(new byte[(int) (padded(size) - size)]);
    }

    private static long padded(long size) {
        return (size + BLOCK - 1) / BLOCK * BLOCK;
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha().digest(bytes));
    }

    private static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long size(String s) {
        char unit = Character.toUpperCase(s.charAt(s.length() - 1));
        long factor = switch (unit) {
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            case 'G' -> 1L << 30;
            default -> 1;
        };
        return Long.parseLong(factor == 1 ? s : s.substring(0, s.length() - 1)) * factor;
    }
}
