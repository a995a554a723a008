package io.pgha.backup;

import io.pgha.cli.CliRun;
import io.pgha.daemon.LocalCluster;
import io.pgha.demo.LocalNode;
import io.pgha.launch.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A standby cluster with no connection to its source at all: {@code standby_cluster} has only a
 * {@code restore_command}. Its leader is bootstrapped from the source's pgBackRest backup and then
 * follows the source through the WAL archive alone.
 */
class StandbyFromArchiveIT {
    static final Duration BOOT = Duration.ofSeconds(120);
    static LocalCluster source;
    static LocalCluster standby;

    @BeforeAll
    static void start() throws Exception {
        source = new LocalCluster(1, "fast", "", null, dir -> "backup:\n  repo_path: " + dir.resolve("repo") + "\n  schedule: off");
        source.startAll();
        LocalNode primary = source.awaitPrimary(BOOT);
        try (Connection c = source.connect(primary); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE rows (id int PRIMARY KEY)");
            st.execute("INSERT INTO rows VALUES (1)");
        }
        CliRun full = CliRun.pgha("backup", "--type", "full", "-c", primary.config().toString());
        assertThat(full.exit()).as(full.out() + full.err()).isZero();

        // The standby's own pgBackRest config names the source's repository and stanza; its
        // restore_command reads the archive through it.
        Path conf = source.dir.resolve("standby-pgbackrest.conf");
        String restore = "pgbackrest --config=" + conf + " --stanza=" + source.scope + " archive-get %f \"%p\"";
        standby = new LocalCluster(1, "fast", "standby_cluster:\n  restore_command: '" + restore + "'", source.etcd,
                dir -> "backup:\n  repo_path: " + source.dir.resolve("repo") + "\n  stanza: " + source.scope
                        + "\n  config_file: " + conf + "\n  schedule: off");
        standby.startAll();
    }

    @AfterAll
    static void stop() {
        try {
            if (standby != null) {
                standby.close();
            }
        } finally {
            if (source != null) {
                source.close();
            }
        }
    }

    @Test
    void theStandbyLeaderIsRestoredFromTheSourcesBackupAndReplaysItsArchive() throws Exception {
        LocalNode leader = standby.nodes.get(0);
        standby.dumpOnFailure(() -> {
            Await.until("the standby leader leading its cluster", BOOT, () -> leader.restStatus(standby.http, "GET", "/standby-leader") == 200);
            return null;
        });
        assertThat(Files.readString(leader.daemonLog())).contains("from the backup repository, replaying the archive with restore_command");
        Await.until("row 1, from the backup, on the standby leader", BOOT, () -> count(leader, 1));

        LocalNode primary = source.awaitPrimary(BOOT);
        try (Connection c = source.connect(primary); Statement st = c.createStatement()) {
            st.execute("INSERT INTO rows VALUES (2)");
            st.execute("SELECT pg_switch_wal()"); // the archive, not a stream, carries it
        }
        standby.dumpOnFailure(() -> {
            Await.until("row 2, from the archive, on the standby leader", BOOT, () -> count(leader, 2));
            return null;
        });
        try (Connection c = standby.connect(leader); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pg_is_in_recovery(), (SELECT count(*) FROM pg_stat_wal_receiver)")) {
            rs.next();
            assertThat(rs.getBoolean(1)).as("a standby leader never promotes").isTrue();
            assertThat(rs.getInt(2)).as("no stream: the archive alone").isZero();
        }
    }

    private static boolean count(LocalNode n, int rows) {
        try (Connection c = standby.connect(n); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM rows")) {
            return rs.next() && rs.getInt(1) == rows;
        } catch (SQLException e) {
            return false;
        }
    }
}
