package io.pgha.migrate;

import io.pgha.config.ConfigException;
import io.pgha.config.ConfigProblem;
import io.pgha.config.DynamicConfig;
import io.pgha.config.PghaConfig;
import io.pgha.config.PostgresqlConfig;
import io.pgha.config.Validated;
import io.pgha.config.Values;
import io.pgha.config.YamlSource;
import io.pgha.migrate.Note.Treatment;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a Patroni config tree into a pgha one. A few keys are rewritten on purpose (the etcd
 * section, pg_hba, relative paths, the timing Patroni assumes when absent); everything else is
 * carried as it stands, and the pgha reader itself says what it does not take: each key it
 * refuses by name is left out with a note. A problem that removing a key cannot cure (a wrong
 * type, a missing required key) refuses the whole conversion.
 */
public final class PatroniConversion {
    /** Patroni's values when bootstrap.dcs leaves them out; pgha's rto preset would give shorter ones. */
    private static final Map<String, Integer> PATRONI_TIMING = Map.of(
            "ttl", 30, "loop_wait", 10, "retry_timeout", 10, "primary_start_timeout", 300);
    private static final List<String> TIMING_ORDER = List.of("ttl", "loop_wait", "retry_timeout", "primary_start_timeout");
    /**
     * Parameters Patroni takes from the DCS config only (its CMDLINE_OPTIONS), with its defaults: a
     * local value is ignored there, while pgha would let it win, and a hot standby refuses to start
     * with, say, fewer max_connections than its primary.
     */
    private static final Map<String, String> CLUSTER_WIDE = orderedMap(
            "wal_level", "replica", "hot_standby", "on", "max_connections", "100", "max_wal_senders", "10",
            "wal_keep_segments", "8", "wal_keep_size", "128MB", "max_prepared_transactions", "0",
            "max_locks_per_transaction", "64", "track_commit_timestamp", "off", "max_replication_slots", "10",
            "max_worker_processes", "8", "wal_log_hints", "on", "listen_addresses", "from postgresql.listen",
            "port", "from postgresql.listen", "cluster_name", "the scope");
    /** More rounds than a config has nested sections: every round removes at least one key. */
    private static final int MAX_ROUNDS = 64;

    private final Map<String, Object> tree;
    private final Path baseDir;
    private final List<Note> notes = new ArrayList<>();

    private PatroniConversion(Map<String, Object> tree, Path baseDir) {
        this.tree = tree;
        this.baseDir = baseDir;
    }

    /**
     * @param document the parsed Patroni file
     * @param baseDir  what a relative path in it is taken relative to (the file's directory)
     * @throws ConfigException naming every problem when no pgha config can be made of it
     */
    public static Conversion convert(Object document, Path baseDir) {
        if (!(document instanceof Map<?, ?>)) {
            throw new ConfigException(new ConfigProblem(YamlSource.FILE, document == null
                    ? "is empty; expected a Patroni config (a mapping with scope, name, restapi, postgresql, etcd)"
                    : "expected a mapping at the top level, got " + Values.describe(document)));
        }
        PatroniConversion c = new PatroniConversion(TreePaths.cast(TreePaths.copy(Values.plain(document))), baseDir);
        return c.run();
    }

    private Conversion run() {
        etcdSection();
        pgHba();
        absolutePath("postgresql.data_dir");
        absolutePath("postgresql.pgpass");
        binDir();
        clusterWideParameters();
        timing();
        callbacks();
        dropWhatPghaRefuses();
        keptForPatroni();
        List<String> noted = notes.stream().map(Note::path).toList();
        List<String> carried = TreePaths.leaves(tree).stream()
                .filter(p -> noted.stream().noneMatch(n -> p.equals(n) || p.startsWith(n + ".")))
                .toList();
        return new Conversion(tree, carried, notes);
    }

    private void etcdSection() {
        if (!tree.containsKey("etcd") || tree.containsKey("etcd3") || tree.containsKey("consul")) {
            return;
        }
        Map<String, Object> renamed = new LinkedHashMap<>();
        tree.forEach((k, v) -> renamed.put(k.equals("etcd") ? "etcd3" : k, v));
        tree.clear();
        tree.putAll(renamed);
        note("etcd", Treatment.CHANGED, "written as etcd3: pgha speaks etcd's v3 API only, and Patroni's etcd section keeps its keys"
                + " in the v2 keyspace, which v3 clients do not see: move the Patroni nodes to etcd3 (same endpoints) before mixing them with pgha");
    }

    /** pgha rewrites pg_hba.conf from postgresql.pg_hba on every start, so the rules Patroni applied must land there. */
    private void pgHba() {
        Optional<Object> local = TreePaths.get(tree, "postgresql.pg_hba");
        Optional<Object> bootstrap = TreePaths.get(tree, "bootstrap.pg_hba");
        Optional<Object> dcs = TreePaths.get(tree, "bootstrap.dcs.postgresql.pg_hba");
        if (bootstrap.isPresent()) {
            TreePaths.remove(tree, "bootstrap.pg_hba");
            if (local.isEmpty()) {
                TreePaths.put(tree, "postgresql.pg_hba", bootstrap.get());
                note("bootstrap.pg_hba", Treatment.CHANGED, "moved to postgresql.pg_hba, which pgha writes into pg_hba.conf before every start");
                return;
            }
            note("bootstrap.pg_hba", Treatment.DROPPED, "postgresql.pg_hba is set and wins, as in Patroni");
        }
        if (local.isEmpty() && dcs.isPresent()) {
            TreePaths.put(tree, "postgresql.pg_hba", dcs.get());
            note("postgresql.pg_hba", Treatment.CHANGED, "copied from bootstrap.dcs.postgresql.pg_hba: pgha takes pg_hba from the local file only");
        } else if (local.isEmpty()) {
            note("postgresql.pg_hba", Treatment.CHANGED, "absent: pgha writes its default rules (peer locally, scram-sha-256 over TCP) into"
                    + " pg_hba.conf at its first start of PostgreSQL; set the rules the node has now");
        }
    }

    /** Patroni resolves a relative path against its working directory; pgha wants it absolute. */
    private void absolutePath(String path) {
        Optional<Object> value = TreePaths.get(tree, path);
        if (value.isEmpty() || !(value.get() instanceof String s) || s.isBlank()) {
            return;
        }
        Path p;
        try {
            p = Path.of(s);
        } catch (InvalidPathException e) {
            return; // the reader names it
        }
        if (p.isAbsolute()) {
            return;
        }
        String absolute = baseDir.toAbsolutePath().resolve(p).normalize().toString();
        TreePaths.put(tree, path, absolute);
        note(path, Treatment.CHANGED, "relative (" + s + "); written as " + absolute
                + ", taking it relative to the Patroni file's directory: check it is where Patroni ran");
    }

    private void clusterWideParameters() {
        Optional<Map<String, Object>> parameters = TreePaths.mapAt(tree, "postgresql.parameters");
        if (parameters.isEmpty()) {
            return;
        }
        CLUSTER_WIDE.forEach((name, patroniDefault) -> {
            if (parameters.get().remove(name) != null) {
                note("postgresql.parameters." + name, Treatment.DROPPED, "Patroni ignores a local value of it: every member runs the DCS"
                        + " config's value (else " + patroniDefault + "); dropped so a pgha member runs the same as its Patroni peers");
            }
        });
    }

    private static Map<String, String> orderedMap(String... keysAndValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    private void binDir() {
        if (TreePaths.mapAt(tree, "postgresql").isPresent() && TreePaths.get(tree, "postgresql.bin_dir").isEmpty()) {
            note("postgresql.bin_dir", Treatment.CHANGED, "absent: Patroni runs PostgreSQL's programs from its PATH, pgha from "
                    + PostgresqlConfig.DEFAULT_BIN_DIR + "; set it if this node's PostgreSQL lives elsewhere");
        }
    }

    /** Same events and arguments ({@code <cmd> <action> <role> <scope>}), but the primary's role word differs from Patroni 3.0's. */
    private void callbacks() {
        TreePaths.mapAt(tree, "postgresql.callbacks").ifPresent(callbacks -> callbacks.keySet().forEach(event -> note(
                "postgresql.callbacks." + event, Treatment.CHANGED, "carried; the script gets the role primary where Patroni 3.0"
                        + " passed master: a script testing for master must accept primary")));
    }

    private void timing() {
        Optional<Map<String, Object>> dcs = TreePaths.mapAt(tree, "bootstrap.dcs");
        if (dcs.isPresent() && dcs.get().containsKey("rto")) {
            return; // already a pgha-style config: the preset decides what is absent
        }
        for (String key : TIMING_ORDER) {
            String path = "bootstrap.dcs." + key;
            String legacy = key.equals("primary_start_timeout") ? "bootstrap.dcs.master_start_timeout" : path;
            if (TreePaths.get(tree, path).isEmpty() && TreePaths.get(tree, legacy).isEmpty()) {
                TreePaths.put(tree, path, PATRONI_TIMING.get(key));
                note(path, Treatment.CHANGED, "absent: written as Patroni's default " + PATRONI_TIMING.get(key)
                        + " s, else pgha's rto preset would bootstrap a new cluster with its own value");
            }
        }
    }

    private void dropWhatPghaRefuses() {
        for (int round = 0; round < MAX_ROUNDS; round++) {
            List<ConfigProblem> problems = problemsOf(tree);
            boolean removed = false;
            for (ConfigProblem p : problems) {
                if (refusedByName(p) && TreePaths.remove(tree, p.path())) {
                    note(p.path(), Treatment.DROPPED, Instead.of(p.path()).orElse(p.message()));
                    removed = true;
                }
            }
            if (!removed) {
                if (!problems.isEmpty()) {
                    throw new ConfigException(problems);
                }
                return;
            }
        }
        throw new IllegalStateException("conversion did not settle after " + MAX_ROUNDS + " rounds");
    }

    private static boolean refusedByName(ConfigProblem p) {
        return p.message().startsWith("not supported by pgha") || p.message().startsWith("unknown key");
    }

    /** The problems pgha's reader finds in {@code tree}, as check-config would (no environment overrides). */
    static List<ConfigProblem> problemsOf(Map<String, Object> tree) {
        try {
            PghaConfig.parse(YamlSource.dump(tree), Map.of());
            return List.of();
        } catch (ConfigException e) {
            return e.problems();
        }
    }

    /** bootstrap.dcs keys pgha does not read go into the DCS config unchanged, where Patroni members still use them. */
    private void keptForPatroni() {
        Optional<Map<String, Object>> dcs = TreePaths.mapAt(tree, "bootstrap.dcs");
        if (dcs.isEmpty()) {
            return;
        }
        Validated<DynamicConfig> read = DynamicConfig.fromMap(dcs.get(), "bootstrap.dcs");
        if (!read.isValid()) {
            return; // dropWhatPghaRefuses has refused it already
        }
        DynamicConfig config = read.orElseThrow();
        config.extra().keySet().forEach(k -> note("bootstrap.dcs." + k, Treatment.KEPT_FOR_PATRONI,
                "written to the DCS config as it is; Patroni members use it, pgha ignores it"));
        config.postgresql().extra().keySet().forEach(k -> note("bootstrap.dcs.postgresql." + k, Treatment.KEPT_FOR_PATRONI,
                "written to the DCS config as it is; Patroni members use it, pgha ignores it"
                        + (k.equals("pg_hba") ? " (pgha uses postgresql.pg_hba)" : "")));
    }

    private void note(String path, Treatment treatment, String instead) {
        notes.add(new Note(path, treatment, instead));
    }
}
