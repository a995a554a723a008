package io.pgha.backup;

import io.pgha.cli.CliRun;
import io.pgha.config.PghaConfig;
import io.pgha.daemon.LocalCluster;
import io.pgha.dcs.Consistency;
import io.pgha.dcs.Dcs;
import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.HistoryEntry;
import io.pgha.demo.LocalNode;
import io.pgha.launch.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code pgha restore --replace} on a real two-node cluster: rows, a full backup, more rows, a
 * target time, DROP TABLE; refused while a daemon runs or for a scope mistyped, changing nothing;
 * then the same cluster restored in place, its old data directory renamed aside, and its daemon
 * leading with exactly the rows from before the target. The other member, whose data still holds
 * the dropped table's history, is rewound onto the restored one when it starts under that leader.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestoreReplaceIT {
    static final Duration BOOT = Duration.ofSeconds(120);
    static LocalCluster cluster;
    static LocalNode restoredNode;
    static LocalNode oldNode;
    static Instant target;

    @BeforeAll
    static void start() throws Exception {
        cluster = new LocalCluster(2, "fast", "", null, dir -> "backup:\n  repo_path: " + dir.resolve("repo") + "\n  retention_full: 2\n  schedule: off");
        cluster.startAll();
        cluster.awaitHealthy(BOOT);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void rowsABackupMoreRowsATargetAndADrop() throws Exception {
        restoredNode = cluster.awaitPrimary(BOOT);
        oldNode = other(restoredNode);
        try (Connection c = cluster.connect(restoredNode); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (id int PRIMARY KEY)");
            st.execute("INSERT INTO t SELECT generate_series(1, 100)");
        }
        CliRun full = CliRun.pgha("backup", "-c", restoredNode.config().toString(), "--type", "full");
        assertThat(full.exit()).as(full.out() + full.err()).isZero();
        Instant backedUp = Instant.now();
        try (Connection c = cluster.connect(restoredNode); Statement st = c.createStatement()) {
            st.execute("INSERT INTO t SELECT generate_series(101, 200)");
            // pgBackRest restores to a time only from a backup that stopped in an earlier second.
            Await.until("the server's clock a second past the backup", Duration.ofSeconds(5), () -> {
                try {
                    return timestamp(st, "SELECT clock_timestamp()").isAfter(backedUp.plusMillis(1100));
                } catch (SQLException e) {
                    return false;
                }
            });
            target = timestamp(st, "SELECT clock_timestamp()");
            Await.until("the server's clock past the target", Duration.ofSeconds(5), () -> {
                try {
                    return timestamp(st, "SELECT clock_timestamp()").isAfter(target.plusMillis(200));
                } catch (SQLException e) {
                    return false;
                }
            });
            st.execute("INSERT INTO t VALUES (201)");
            st.execute("DROP TABLE t");
            st.execute("CREATE TABLE after_target AS SELECT 1 AS x"); // what the old member has and the restore must not
            String segment = string(st, "SELECT pg_walfile_name(pg_current_wal_lsn())");
            st.execute("SELECT pg_switch_wal()");
            Await.until("segment " + segment + " archived", Duration.ofSeconds(60), () -> {
                try {
                    return string(st, "SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver").compareTo(segment) >= 0;
                } catch (SQLException e) {
                    return false;
                }
            });
        }
        Await.until(oldNode.name() + " has replayed past the drop", BOOT, () -> {
            try (Connection c = cluster.connect(oldNode); Statement st = c.createStatement()) {
                return "1".equals(string(st, "SELECT count(*)::text FROM after_target"));
            } catch (SQLException e) {
                return false;
            }
        });
    }

    @Test
    @Order(2)
    void aReplaceWhileADaemonRunsOrOfAnotherScopeIsRefusedAndChangesNothing() throws Exception {
        cluster.daemons.remove(oldNode.name()).stop(Duration.ofSeconds(30));
        Cluster before = read();

        CliRun running = CliRun.pgha("restore", "-c", restoredNode.config().toString(), "--to-time", target.toString(), "--replace", cluster.scope);
        assertThat(running.exit()).as(running.out() + running.err()).isEqualTo(1);
        assertThat(running.err()).contains("pgha still runs on members " + restoredNode.name() + " of scope " + cluster.scope,
                "stop it on every node first");
        assertUntouched(before);

        CliRun wrong = CliRun.pgha("restore", "-c", restoredNode.config().toString(), "--to-time", target.toString(), "--replace", "other-scope");
        assertThat(wrong.exit()).isEqualTo(1);
        assertThat(wrong.err()).contains("--replace other-scope does not match the scope " + cluster.scope);
        assertUntouched(before);

        CliRun both = CliRun.pgha("restore", "-c", restoredNode.config().toString(), "--latest", "--replace", cluster.scope,
                "--target-dir", cluster.dir.resolve("never").toString());
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("mutually exclusive");
    }

    @Test
    @Order(3)
    void theReplaceRestoresInPlaceAndTheRestoredMemberLeadsWithTheRowsFromBeforeTheTarget() throws Exception {
        cluster.daemons.remove(restoredNode.name()).stop(Duration.ofSeconds(30));
        Await.until("no member key and no leader key left", BOOT, () -> {
            Cluster c = read();
            return c.members().isEmpty() && c.leader().isEmpty();
        });
        Cluster before = read();

        CliRun r = CliRun.pgha("restore", "-c", restoredNode.config().toString(), "--to-time", target.toString(), "--replace", cluster.scope);
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        System.out.println(r.out().lines().filter(l -> l.startsWith("restored ")).findFirst().orElse(r.out()));
        Path aside = asideOf(restoredNode.dataDir()).orElseThrow();
        assertThat(r.out()).contains("restored scope " + cluster.scope + " to time " + target, "now timeline 2",
                "the old data directory is " + aside, "pgha reinit");
        assertThat(aside.resolve("PG_VERSION")).exists();

        Cluster after = read();
        assertThat(after.initialize()).map(v -> v.value()).isEqualTo(before.initialize().map(v -> v.value()));
        assertThat(after.config()).map(v -> v.value()).isEqualTo(before.config().map(v -> v.value()));
        assertThat(after.status()).isEmpty();
        List<HistoryEntry> history = after.history().orElseThrow().value();
        assertThat(history.get(history.size() - 1).isRestore()).isTrue();
        assertThat(after.timelineFromHistory()).isEqualTo(2);

        cluster.start(restoredNode);
        cluster.dumpOnFailure(() -> Await.value(restoredNode.name() + " leading the restored cluster", BOOT,
                () -> Optional.of(restoredNode).filter(n -> n.restStatus(cluster.http, "GET", "/primary") == 200)));
        try (Connection c = cluster.connect(restoredNode); Statement st = c.createStatement()) {
            assertThat(string(st, "SELECT count(*)::text FROM t")).as("rows 1-200, committed before the target").isEqualTo("200");
            assertThat(string(st, "SELECT max(id)::text FROM t")).as("row 201 came after the target").isEqualTo("200");
            assertThat(string(st, "SELECT to_regclass('after_target') IS NULL")).isEqualTo("t");
            st.execute("CREATE TABLE written_after_restore AS SELECT 42 AS answer"); // the restored cluster takes writes
        }
    }

    @Test
    @Order(4)
    void theOtherMemberWithThePreRestoreDataIsRewoundOntoTheRestoredHistory() throws Exception {
        cluster.start(oldNode);
        // Under the leader its timeline differs from the leader's, so the rejoin rule rewinds it to the fork point.
        cluster.dumpOnFailure(() -> {
            Await.until(oldNode.name() + " streaming the restored leader's new table", BOOT, () -> {
                try (Connection c = cluster.connect(oldNode); Statement st = c.createStatement()) {
                    return "42".equals(string(st, "SELECT answer::text FROM written_after_restore"));
                } catch (SQLException e) {
                    return false;
                }
            });
            return null;
        });
        try (Connection c = cluster.connect(oldNode); Statement st = c.createStatement()) {
            assertThat(string(st, "SELECT count(*)::text FROM t")).isEqualTo("200");
            assertThat(string(st, "SELECT to_regclass('after_target') IS NULL")).as("the history after the target is gone here too").isEqualTo("t");
        }
        assertThat(restoredNode.restStatus(cluster.http, "GET", "/primary")).isEqualTo(200);
        assertThat(Files.readString(oldNode.daemonLog())).contains("pg_rewind");
    }

    private static void assertUntouched(Cluster before) {
        assertThat(asideOf(restoredNode.dataDir())).as("no data directory moved aside").isEmpty();
        assertThat(restoredNode.dataDir().resolve("PG_VERSION")).exists();
        Cluster now = read();
        assertThat(now.initialize()).map(v -> v.version()).isEqualTo(before.initialize().map(v -> v.version()));
        assertThat(now.config()).map(v -> v.version()).isEqualTo(before.config().map(v -> v.version()));
        assertThat(now.history()).map(v -> v.version()).isEqualTo(before.history().map(v -> v.version()));
        assertThat(now.leaderName()).isEqualTo(before.leaderName());
    }

    private static Optional<Path> asideOf(Path dataDir) {
        try (var s = Files.list(dataDir.getParent())) {
            return s.filter(p -> p.getFileName().toString().startsWith(dataDir.getFileName() + ".before-restore-")).findFirst();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Cluster read() {
        try (Dcs dcs = Dcs.open(PghaConfig.load(restoredNode.config(), System.getenv()), Duration.ofSeconds(10))) {
            return dcs.read(Consistency.LINEARIZABLE);
        }
    }

    private static LocalNode other(LocalNode n) {
        return cluster.nodes.stream().filter(x -> x != n).findFirst().orElseThrow();
    }

    private static Instant timestamp(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getTimestamp(1).toInstant();
        }
    }

    private static String string(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
