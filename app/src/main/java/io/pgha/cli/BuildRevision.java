package io.pgha.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The git commit this jar was built from, as the build's git-commit-id plugin wrote it. A build from
 * a source tarball has no .git, and then no revision: "unknown".
 */
final class BuildRevision {
    static final String UNKNOWN = "unknown";

    private BuildRevision() {
    }

    static String read() {
        try (InputStream in = BuildRevision.class.getResourceAsStream("git.properties")) {
            if (in == null) {
                return UNKNOWN;
            }
            Properties p = new Properties();
            p.load(in);
            String abbrev = p.getProperty("git.commit.id.abbrev", "").strip();
            return abbrev.isEmpty() ? UNKNOWN : abbrev;
        } catch (IOException e) {
            throw new UncheckedIOException("git.properties unreadable", e);
        }
    }
}
