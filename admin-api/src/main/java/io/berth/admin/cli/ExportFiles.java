package io.berth.admin.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** Files the transfer commands' command lines name, read with a usage error that names the file. */
final class ExportFiles {
    private ExportFiles() {
    }

    /** The lines of a text file; {@code what} names it in the message ("image list"). */
    static List<String> lines(String file, String what) {
        try {
            return Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw ExportCommandException.usage("the " + what + " " + file + " does not exist");
        } catch (IOException e) {
            throw ExportCommandException.usage("cannot read the " + what + " " + file + ": " + e.getMessage());
        }
    }

    /** The folder a file is to be written in, which must exist; the file's absolute path. */
    static Path writable(String file) {
        Path path = Path.of(file).toAbsolutePath();
        if (!Files.isDirectory(path.getParent())) {
            throw ExportCommandException.usage("the folder " + path.getParent() + " does not exist: create it, or"
                    + " give another -o");
        }
        if (Files.isDirectory(path)) {
            throw ExportCommandException.usage(path + " is a folder: give -o a file name in it");
        }
        return path;
    }
}
