package io.berth.admin.replication;

import io.berth.gateway.auth.Action;
import io.berth.gateway.auth.Principal;
import io.berth.gateway.auth.robots.Robot;
import io.berth.gateway.auth.robots.Robots;
import io.berth.store.upstream.Credential;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The system robot replication signs in to this Berth as ({@code robot$replication-agent}: pull,
 * push and delete in every project), so that its pushes are checked, recorded and audited as its
 * own. Its secret is kept in a file beside the token signing key (owner-only), which instances
 * sharing a data directory share too; when the file is missing or no longer matches, the robot is
 * created or its secret rotated and the file written again.
 */
public final class ReplicationRobot {
    static final String NAME = "replication-agent";
    static final String FILE = "replication-agent.secret";

    private ReplicationRobot() {
    }

    /** The robot's credential, creating the robot (or a new secret) when needed. */
    public static Credential.Basic ensure(Robots robots, Path dataRoot) {
        String fullName = Robots.PREFIX + NAME;
        Path file = dataRoot.resolve(FILE);
        try {
            if (Files.isRegularFile(file)) {
                String secret = Files.readString(file).strip();
                if (robots.authenticate(fullName, secret).isPresent()) {
                    return new Credential.Basic(fullName, secret);
                }
            }
            Optional<Robot> existing = find(robots, fullName);
            String secret = existing.isPresent() ? robots.rotate(existing.get().id()).secret()
                    : robots.create(NAME, null, "replication's own account: what the sync agent copies into this"
                            + " Berth or reads from it", null, Map.of(Principal.ALL_PROJECTS,
                            Set.of(Action.PULL, Action.PUSH, Action.DELETE))).secret();
            write(file, secret);
            return new Credential.Basic(fullName, secret);
        } catch (IOException e) {
            throw new UncheckedIOException("could not keep the replication agent's secret in " + file, e);
        }
    }

    private static Optional<Robot> find(Robots robots, String fullName) {
        for (int page = 1; ; page++) {
            Robots.Listing listing = robots.list(null, page, 100);
            for (Robot robot : listing.robots()) {
                if (robot.name().equals(fullName)) {
                    return Optional.of(robot);
                }
            }
            if (listing.robots().isEmpty() || (long) page * 100 >= listing.total()) {
                return Optional.empty();
            }
        }
    }

    private static void write(Path file, String secret) throws IOException {
        Path temp = file.resolveSibling(FILE + ".tmp");
        Files.deleteIfExists(temp);
        try {
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(temp);
        }
        Files.writeString(temp, secret, StandardOpenOption.TRUNCATE_EXISTING);
        Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
