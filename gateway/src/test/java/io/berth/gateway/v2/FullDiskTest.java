package io.berth.gateway.v2;

import io.berth.gateway.GatewayConfig;
import io.berth.gateway.http.GatewayServer;
import io.berth.gateway.testing.TestContent.Blob;
import io.berth.gateway.testing.TestContent;
import io.berth.gateway.testing.V2Client;
import io.berth.store.Registry;
import io.berth.store.testing.TestDatabases;
import io.berth.store.testing.TestRegistries;
import io.berth.store.testing.Tmpfs;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static io.berth.gateway.testing.OciAssertions.assertError;
import static io.berth.gateway.testing.OciAssertions.assertStatus;
import static io.berth.gateway.testing.OciAssertions.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A registry whose storage fills up (a real tmpfs, real ENOSPC): pushes get a clear 507 that says
 * what happened, nothing partial stays behind, and once space is free pushes work again.
 */
class FullDiskTest {
    private static final int DISK = 8 << 20;

    @Test
    void pushesThatDoNotFit_get507AndLeaveNothingBehind() throws Exception {
        try (Tmpfs disk = Tmpfs.mount(DISK)) {
            Registry registry = TestRegistries.onFilesystem(TestDatabases.h2(), disk.path());
            try (GatewayServer server = new GatewayServer(GatewayConfig.local(), V2Api.routes(registry));
                 V2Client client = start(server)) {
                byte[] tooBig = TestContent.bytes(1, DISK + (2 << 20));

                HttpResponse<byte[]> monolithic = client.post("/v2/full/disk/blobs/uploads/?digest="
                        + TestContent.digest(tooBig), tooBig, "Content-Type", "application/octet-stream");

                assertError(monolithic, 507, "UNAVAILABLE");
                assertTrue(TestContent.text(monolithic.body()).contains("storage is full"), TestContent.text(monolithic.body()));
                assertEquals(List.of(), files(disk.path()), "a failed push leaves no file");

                String location = client.startUpload("full/disk");
                byte[] half = TestContent.bytes(2, DISK / 2);
                assertStatus(202, client.patch(location, half, "Content-Range", "0-" + (half.length - 1)));
                HttpResponse<byte[]> overflow = client.patch(location, tooBig);
                assertError(overflow, 507, "UNAVAILABLE");
                HttpResponse<byte[]> status = client.get(location);
                assertStatus(204, status);
                assertEquals("0-" + (half.length - 1), header(status, "Range"), "the failed chunk was undone");
                assertStatus(204, client.delete(location));
                assertEquals(List.of(), files(disk.path()), "a cancelled upload leaves no file");

                Blob config = client.pushBlob("full/disk", TestContent.config(3));
                client.pushManifest("full/disk", "after", TestContent.image(config).build());
            }
        }
    }

    private static V2Client start(GatewayServer server) throws Exception {
        server.start();
        return new V2Client(URI.create("http://127.0.0.1:" + server.port()));
    }

    /** Regular files under the storage root, except the empty folders' placeholders. */
    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }
}
