package io.pgha.daemon;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The Maven project version this daemon was built as, from a resource the build fills in. */
final class BuildVersion {
    private BuildVersion() {
    }

    static String read() {
        try (InputStream in = BuildVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown"; // compiled outside Maven, e.g. by an IDE without resource processing
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException("version.properties unreadable", e);
        }
    }
}
