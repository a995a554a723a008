package io.pgha.cli;

import io.pgha.config.PghaConfig;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code -c pgha.yml} of the commands that act on this member's own PostgreSQL (backup, restore). */
final class MemberConfig {
    @Option(names = {"-c", "--config"}, required = true, description = "This member's pgha.yml (for the repository and stanza).")
    Path file;

    PghaConfig load() {
        return PghaConfig.load(file, System.getenv());
    }
}
