package io.pgha.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

public final class Dirs {
    private Dirs() {
    }

    /** Deletes a test's own scratch directory; keeps it when PGHA_KEEP_TEST_DIRS is set, for post-mortems. */
    public static void deleteRecursively(Path dir) {
        if (dir == null || System.getenv("PGHA_KEEP_TEST_DIRS") != null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }
}
