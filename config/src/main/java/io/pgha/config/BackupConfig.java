package io.pgha.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code backup} section: pgBackRest backups and the WAL archive. With it, every member archives
 * ({@code archive_command} is pgBackRest's {@code archive-push}, so a promoted replica keeps
 * archiving) and can fetch WAL back ({@code restore_command}); {@code pgha backup} and
 * {@code pgha restore} run pgBackRest with the configuration pgha writes.
 *
 * @param stanza        pgBackRest's name for this cluster in the repository; the scope unless set
 * @param repoPath      {@code repo1-path}: the repository. Every member must reach the same one (a
 *                      shared filesystem, or a repository host or object store through {@code options})
 * @param retentionFull {@code repo1-retention-full}: full backups kept
 * @param options       further pgBackRest options for {@code [global]}, written as given
 *                      ({@code repo1-type: s3}, {@code repo1-s3-bucket: …}, {@code compress-type: zst})
 * @param pgbackrest    the pgBackRest executable
 * @param configFile    where pgha writes pgBackRest's configuration; next to the data directory unless set
 * @param full          when the leader takes a full backup (cron); empty with {@code schedule: off}
 * @param diff          when it takes a differential one; empty when off
 */
public record BackupConfig(Optional<String> stanza, Path repoPath, int retentionFull, Map<String, String> options, Path pgbackrest,
                           Optional<Path> configFile, Optional<Cron> full, Optional<Cron> diff) {
    static final Keys KEYS = Keys.of("stanza", "repo_path", "retention_full", "options", "pgbackrest", "config_file", "schedule");
    static final Keys SCHEDULE = Keys.of("full", "diff");
    /** A full backup every night, a differential every six hours in between. */
    public static final String DEFAULT_FULL = "0 1 * * *";
    public static final String DEFAULT_DIFF = "0 */6 * * *";
    private static final Pattern STANZA = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    private static final Pattern OPTION = Pattern.compile("[a-z0-9][a-z0-9-]*");
    /** Options pgha sets itself from this section and from postgresql; a second source would be ambiguous. */
    private static final java.util.Set<String> OWN = java.util.Set.of("repo1-path", "repo1-retention-full", "pg1-path", "pg1-port",
            "pg1-socket-path", "pg1-user", "stanza", "config");

    public BackupConfig {
        Objects.requireNonNull(stanza, "stanza");
        Objects.requireNonNull(repoPath, "repoPath");
        options = Map.copyOf(options);
        Objects.requireNonNull(pgbackrest, "pgbackrest");
        Objects.requireNonNull(configFile, "configFile");
        Objects.requireNonNull(full, "full");
        Objects.requireNonNull(diff, "diff");
    }

    public boolean scheduled() {
        return full.isPresent() || diff.isPresent();
    }

    public String stanzaOr(String scope) {
        return stanza.orElse(scope);
    }

    /** pgBackRest's configuration file for the data directory {@code dataDir}. */
    public Path configFileFor(Path dataDir) {
        return configFile.orElse(dataDir.resolveSibling(dataDir.getFileName() + ".pgbackrest.conf"));
    }

    /** Empty when the section is absent; null (with problems added) when it is wrong. */
    static Optional<BackupConfig> read(Node n) {
        if (!n.isPresent()) {
            return Optional.empty();
        }
        int mark = n.problems().mark();
        if (!n.mapping(KEYS)) {
            return null;
        }
        Optional<String> stanza = n.get("stanza").string().filter(s -> {
            if (!STANZA.matcher(s).matches()) {
                n.get("stanza").problem("expected letters, digits, '_', '.' and '-', got " + Values.describe(s));
                return false;
            }
            return true;
        });
        Optional<Path> repo = n.get("repo_path").required("the pgBackRest repository every member reaches, e.g. /pg/backup")
                .absolutePath();
        int retention = n.get("retention_full").intValue(1).orElse(2);
        Map<String, String> options = new LinkedHashMap<>();
        Node opts = n.get("options");
        if (opts.isPresent() && opts.mapping()) {
            opts.entries().forEach((k, v) -> {
                if (!OPTION.matcher(k).matches()) {
                    v.problem("expected a pgBackRest option name (lower case and '-', e.g. repo1-type), got " + Values.describe(k));
                } else if (OWN.contains(k)) {
                    v.problem("set by pgha from repo_path, retention_full, stanza and the postgresql section; not here");
                } else if (v.value() instanceof String || v.value() instanceof Number || v.value() instanceof Boolean) {
                    options.put(k, v.value() instanceof Boolean b ? (b ? "y" : "n") : v.value().toString());
                } else {
                    v.problem("expected a single value, got " + Values.describe(v.value()));
                }
            });
        }
        Path bin = n.get("pgbackrest").absolutePath().orElse(Path.of("/usr/bin/pgbackrest"));
        Optional<Path> file = n.get("config_file").absolutePath();
        Node schedule = n.get("schedule");
        Optional<Cron> full = Optional.of(Cron.parse(DEFAULT_FULL));
        Optional<Cron> diff = Optional.of(Cron.parse(DEFAULT_DIFF));
        if (off(schedule)) {
            full = Optional.empty();
            diff = Optional.empty();
        } else if (schedule.isPresent() && schedule.mapping(SCHEDULE)) {
            full = cron(schedule.get("full"), DEFAULT_FULL);
            diff = cron(schedule.get("diff"), DEFAULT_DIFF);
        }
        if (n.problems().addedSince(mark) || repo.isEmpty()) {
            return null;
        }
        return Optional.of(new BackupConfig(stanza, repo.get(), retention, options, bin, file, full, diff));
    }

    /** {@code off} or {@code false}: no schedule (backups from cron or by hand). */
    private static boolean off(Node n) {
        return Boolean.FALSE.equals(n.value()) || "off".equals(n.value());
    }

    private static Optional<Cron> cron(Node n, String fallback) {
        if (!n.isPresent()) {
            return Optional.of(Cron.parse(fallback));
        }
        if (off(n)) {
            return Optional.empty();
        }
        return n.string().flatMap(s -> {
            try {
                return Optional.of(Cron.parse(s));
            } catch (IllegalArgumentException e) {
                n.problem("not a cron schedule: " + e.getMessage());
                return Optional.empty();
            }
        });
    }
}
