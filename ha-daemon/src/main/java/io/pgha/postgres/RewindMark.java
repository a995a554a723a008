package io.pgha.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The mark of a pg_rewind that left its data directory unusable (see {@link Rewind#leftTargetUnusable}).
 * Next to the data directory, not in it: pg_rewind deletes what the source does not have.
 */
final class RewindMark {
    private final Path path;

    RewindMark(Path dataDir) {
        this.path = dataDir.resolveSibling(dataDir.getFileName() + ".rewinding");
    }

    boolean exists() {
        return Files.exists(path);
    }

    void write(String sourceMember) {
        try {
            Files.writeString(path, sourceMember + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
    }

    void delete() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path, e);
        }
    }
}
