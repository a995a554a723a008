package io.pgha.backup;

import io.pgha.cli.CliRun;
import io.pgha.daemon.LocalCluster;
import io.pgha.demo.LocalNode;
import io.pgha.launch.Await;
import io.pgha.launch.Ports;
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
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * pgBackRest through pgha on a real two-node cluster: a full backup on the primary, writes, a
 * failover (the promoted replica keeps archiving into the same stanza), more writes, DROP TABLE, and
 * a point-in-time restore to just before the drop that holds every row committed before that time
 * and none after. Bad input is refused with a named error and changes nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackupRestoreIT {
    static final Duration BOOT = Duration.ofSeconds(120);
    static final String PG_CTL = "/usr/lib/postgresql/15/bin/pg_ctl";
    static LocalCluster cluster;
    static Path restored;
    static Instant beforeDrop;
    static int restoredPort;

    @BeforeAll
    static void start() throws Exception {
        cluster = new LocalCluster(2, "fast", "", null, dir -> "backup:\n  repo_path: " + dir.resolve("repo") + "\n  retention_full: 2\n  schedule: off");
        cluster.startAll();
        cluster.awaitHealthy(BOOT);
        restored = cluster.dir.resolve("restored");
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (restored != null && Files.exists(restored.resolve("postmaster.pid"))) {
                asPostgres(PG_CTL, "-D", restored.toString(), "-m", "immediate", "-w", "stop");
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    @Test
    @Order(1)
    void aBackupRunsOnThePrimaryOnlyAndBadArgumentsAreRefused() {
        LocalNode primary = cluster.awaitPrimary(BOOT);
        LocalNode replica = other(primary);

        CliRun weekly = CliRun.pgha("backup", "-c", primary.config().toString(), "--type", "weekly");
        assertThat(weekly.exit()).isEqualTo(2);
        assertThat(weekly.err()).contains("--type weekly: expected full, diff or incr");

        CliRun onReplica = CliRun.pgha("backup", "-c", replica.config().toString());
        assertThat(onReplica.exit()).as(onReplica.err()).isEqualTo(1);
        assertThat(onReplica.err()).contains(replica.name() + " is not the primary");
        CliRun cron = CliRun.pgha("backup", "-c", replica.config().toString(), "--if-leader");
        assertThat(cron.exit()).isZero();
        assertThat(cron.out()).contains("nothing to do");

        CliRun full = CliRun.pgha("backup", "-c", primary.config().toString(), "--type", "full");
        assertThat(full.exit()).as(full.out() + full.err()).isZero();
        assertThat(full.out()).contains("created stanza " + cluster.scope, "(full) of " + primary.name() + " done");
        System.out.println(full.out().lines().filter(l -> l.startsWith("backup ")).findFirst().orElse(""));

        CliRun list = CliRun.pgha("backup", "list", "-c", replica.config().toString());
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).contains("full", primary.name());
    }

    @Test
    @Order(2)
    void aRestoreToBeforeTheDropHasEveryRowCommittedBeforeAndNoneAfterAcrossAFailover() throws Exception {
        LocalNode first = cluster.awaitPrimary(BOOT);
        try (Connection c = cluster.connect(first); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (id int PRIMARY KEY)");
            st.execute("INSERT INTO t SELECT generate_series(1, 100)");
        }
        // Asynchronous replication: the rows must be on the replica before its primary dies.
        LocalNode replica = other(first);
        Await.until("rows 1-100 on " + replica.name(), BOOT, () -> {
            try (Connection c = cluster.connect(replica); Statement st = c.createStatement()) {
                return "100".equals(string(st, "SELECT count(*)::text FROM t"));
            } catch (SQLException e) {
                return false;
            }
        });
        cluster.crash(first);
        LocalNode second = cluster.dumpOnFailure(() -> Await.value("the replica promoted", Duration.ofSeconds(60),
                () -> Optional.of(other(first)).filter(n -> n.restStatus(cluster.http, "GET", "/primary") == 200)));
        try (Connection c = cluster.connect(second); Statement st = c.createStatement()) {
            st.execute("INSERT INTO t SELECT generate_series(101, 200)");
            beforeDrop = timestamp(st, "SELECT clock_timestamp()");
            // Past the target, by the server's own clock: the restore must stop before these.
            Await.until("the server's clock past the target", Duration.ofSeconds(5), () -> {
                try {
                    return timestamp(st, "SELECT clock_timestamp()").isAfter(beforeDrop.plusMillis(200));
                } catch (SQLException e) {
                    return false;
                }
            });
            st.execute("INSERT INTO t VALUES (201)");
            st.execute("DROP TABLE t");
            String segment = string(st, "SELECT pg_walfile_name(pg_current_wal_lsn())");
            st.execute("SELECT pg_switch_wal()");
            Await.until("segment " + segment + " archived by the promoted member", Duration.ofSeconds(60), () -> {
                try {
                    String last = string(st, "SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver");
                    return last.compareTo(segment) >= 0;
                } catch (SQLException e) {
                    return false;
                }
            });
        }

        CliRun r = CliRun.pgha("restore", "-c", second.config().toString(), "--to-time", beforeDrop.toString(), "--target-dir", restored.toString());
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("restored stanza " + cluster.scope);

        restoredPort = Ports.free();
        // The directory is PostgreSQL's user's: its log and socket go there.
        asPostgres(PG_CTL, "-D", restored.toString(), "-w", "-t", "120", "-l", restored.resolve("restored.log").toString(), "-o",
                "-p " + restoredPort + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + restored, "start");
        Await.until("the restored server promoted at its target", BOOT, () -> {
            try (Connection c = restoredConnection(); Statement st = c.createStatement()) {
                return !Boolean.parseBoolean(string(st, "SELECT pg_is_in_recovery()::text"));
            } catch (SQLException e) {
                return false;
            }
        });
        try (Connection c = restoredConnection(); Statement st = c.createStatement()) {
            assertThat(string(st, "SELECT count(*)::text FROM t")).as("rows 1-100 from before the failover, 101-200 after").isEqualTo("200");
            assertThat(string(st, "SELECT max(id)::text FROM t")).as("row 201 came after the target").isEqualTo("200");
        }
    }

    @Test
    @Order(3)
    void aRestoreOutsideTheArchiveOrOntoADirectoryInUseIsRefusedAndTouchesNothing() throws Exception {
        LocalNode any = cluster.nodes.get(1);
        Path fresh = cluster.dir.resolve("never");
        CliRun early = CliRun.pgha("restore", "-c", any.config().toString(), "--to-time", "2001-01-01T00:00:00Z", "--target-dir", fresh.toString());
        assertThat(early.exit()).isEqualTo(1);
        assertThat(early.err()).contains("is before the archive's range: the earliest restorable time is");
        assertThat(fresh).doesNotExist();

        List<String> before;
        try (var s = Files.list(restored)) {
            before = new ArrayList<>(s.map(Path::toString).sorted().toList());
        }
        CliRun inUse = CliRun.pgha("restore", "-c", any.config().toString(), "--latest", "--target-dir", restored.toString());
        assertThat(inUse.exit()).isEqualTo(1);
        assertThat(inUse.err()).contains("is not empty", "never deletes one");
        try (var s = Files.list(restored)) {
            assertThat(s.map(Path::toString).sorted().toList()).isEqualTo(before);
        }

        CliRun badTime = CliRun.pgha("restore", "-c", any.config().toString(), "--to-time", "yesterday", "--target-dir", fresh.toString());
        assertThat(badTime.exit()).isEqualTo(2);
        assertThat(badTime.err()).contains("--to-time yesterday: expected an ISO-8601 time");
    }

    @Test
    @Order(4)
    void aNewReplicaComesFromTheRepositoryNotFromTheLeader() throws Exception {
        LocalNode leader = cluster.awaitPrimary(BOOT);
        LocalNode lost = other(leader);
        assertThat(cluster.daemons).doesNotContainKey(lost.name()); // crashed in the failover above
        Files.move(lost.dataDir(), lost.dataDir().resolveSibling("data.crashed"));
        String yml = Files.readString(lost.config());
        String withMethods = yml.replace("  remove_data_directory_on_rewind_failure: true\n",
                "  remove_data_directory_on_rewind_failure: true\n  create_replica_methods: [pgbackrest, basebackup]\n");
        assertThat(withMethods).isNotEqualTo(yml);
        Files.writeString(lost.config(), withMethods);

        cluster.start(lost);
        cluster.dumpOnFailure(() -> {
            cluster.awaitReplica(lost, BOOT);
            return null;
        });
        assertThat(Files.readString(lost.daemonLog())).contains("restored from the backup repository").doesNotContain("cloned from");
        try (Connection c = cluster.connect(leader); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE after_restore AS SELECT 42 AS answer");
        }
        Await.until("the restored replica streaming the leader's new table", BOOT, () -> {
            try (Connection c = cluster.connect(lost); Statement st = c.createStatement()) {
                return "42".equals(string(st, "SELECT answer::text FROM after_restore"));
            } catch (SQLException e) {
                return false;
            }
        });
    }

    @Test
    @Order(5)
    void anArchiveThatCannotReachTheRepositoryIsFlaggedUntilItCanAgain() throws Exception {
        LocalNode leader = cluster.awaitPrimary(BOOT);
        Path repo = cluster.dir.resolve("repo");
        String metric = "pgha_archive_stuck{scope=\"" + cluster.scope + "\",name=\"" + leader.name() + "\"}";
        assertThat(leader.restBody(cluster.http, "/metrics").orElseThrow()).contains(metric + " 0");
        Files.move(repo, repo.resolveSibling("repo.away"));
        try {
            try (Connection c = cluster.connect(leader); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE while_stuck AS SELECT 1 AS x");
                st.execute("SELECT pg_switch_wal()");
            }
            cluster.dumpOnFailure(() -> Await.value("the archive flagged as stuck", BOOT,
                    () -> leader.restBody(cluster.http, "/metrics").filter(b -> b.contains(metric + " 1"))));
            String lag = "pgha_archive_lag_bytes{scope=\"" + cluster.scope + "\",name=\"" + leader.name() + "\"} ";
            String waiting = leader.restBody(cluster.http, "/metrics").orElseThrow().lines().filter(l -> l.startsWith(lag)).findFirst().orElseThrow();
            assertThat(Long.parseLong(waiting.substring(lag.length()).trim())).as("the switched segment waits for the archive").isPositive();
            Await.until("pgha list naming the member whose archive is stuck", BOOT, () -> {
                CliRun list = CliRun.pgha("list", "-c", leader.config().toString());
                return list.out().contains("Archive stuck on " + leader.name());
            });
        } finally {
            Files.move(repo.resolveSibling("repo.away"), repo);
        }
        cluster.dumpOnFailure(() -> Await.value("the archive working again and caught up", BOOT,
                () -> leader.restBody(cluster.http, "/metrics").filter(b -> b.contains(metric + " 0")
                        && b.contains("pgha_archive_lag_bytes{scope=\"" + cluster.scope + "\",name=\"" + leader.name() + "\"} 0"))));
    }

    private static LocalNode other(LocalNode n) {
        return cluster.nodes.stream().filter(x -> x != n).findFirst().orElseThrow();
    }

    private static Connection restoredConnection() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("password", LocalNode.SUPERUSER_PASSWORD);
        p.setProperty("connectTimeout", "2");
        p.setProperty("socketTimeout", "5");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + restoredPort + "/postgres", p);
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

    private static void asPostgres(String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).directory(Path.of("/").toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
    }
}
