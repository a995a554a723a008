package io.pgha.migrate;

import io.pgha.cli.CliRun;
import io.pgha.launch.Await;
import io.pgha.launch.ChildProcess;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A live 3-node Patroni 3.0 cluster (the distribution's /usr/bin/patroni, real etcd and PostgreSQL
 * 15) moved to pgha node by node under a writer: replicas first, then the leader, each Patroni
 * killed so its PostgreSQL runs on and a pgha daemon, configured by {@code pgha migrate
 * from-patroni}, adopting it. In the mixed state a switchover goes Patroni → pgha (patronictl) and
 * back pgha → Patroni (pgha switchover). Replacing the leader's daemon keeps the same postmaster and
 * timeline; then one node rolls back to Patroni, and a crash of the (pgha) primary in that mixed
 * cluster fails over to whichever side wins the race. No acknowledged write is lost before the
 * crash; the longest write gap of every step is printed.
 */
class PatroniMigrationIT {
    static final Duration BOOT = Duration.ofSeconds(90);
    static final Duration STEP = Duration.ofSeconds(60);
    /** The ttl of the generated patroni.yml. */
    static final Duration TTL = Duration.ofSeconds(20);

    private final Map<String, Long> gaps = new LinkedHashMap<>();

    @Test
    void aPatroniClusterMovesToPghaNodeByNodeAndOneNodeBackWithoutAFailover() throws Exception {
        try (PatroniCluster c = new PatroniCluster(3)) {
            PatroniNode n1 = c.node("node1");
            PatroniNode n2 = c.node("node2");
            PatroniNode n3 = c.node("node3");
            n1.startPatroni();
            assertThat(c.awaitPrimary(BOOT)).isSameAs(n1);
            n2.startPatroni();
            n3.startPatroni();
            c.awaitStreaming(n1, n2, BOOT);
            c.awaitStreaming(n1, n3, BOOT);
            try (Connection conn = c.connect(n1); Statement st = conn.createStatement()) {
                st.execute("CREATE TABLE migration_probe (id bigint PRIMARY KEY)");
            }
            for (PatroniNode n : c.nodes) {
                CliRun converted = CliRun.pgha("migrate", "from-patroni", "-c", n.patroniYml().toString(), "-o", n.pghaYml().toString());
                assertThat(converted.exit()).as(converted.err()).isZero();
                assertThat(converted.out()).contains("bootstrap.users: no users are created at bootstrap",
                        "postgresql.remove_data_directory_on_diverged_timelines: pgha never deletes",
                        "postgresql.parameters.max_connections: Patroni ignores a local value of it");
            }

            Set<Long> acknowledged;
            long lostBeforeCrash;
            PatroniNode newPrimary;
            try (ProbeWriter writer = new ProbeWriter(c.writerUrl(), PatroniNode.SUPERUSER_PASSWORD).start()) {
                Await.until("the writer writing", STEP, () -> writer.count() > 20);
                writer.phase();

                CliRun check = CliRun.pgha("migrate", "check", "-c", n1.pghaYml().toString());
                assertThat(check.exit()).as(check.out() + check.err()).isEqualTo(1);
                assertThat(check.out()).contains("member node1: master, running, version 3.0.2",
                        "FIX FIRST primary_start_timeout: Patroni members use 300 s (its default), pgha members 10 s");
                CliRun pin = CliRun.pgha("edit-config", "-c", n1.pghaYml().toString(), "--set", "primary_start_timeout=300", "--force");
                assertThat(pin.exit()).as(pin.out() + pin.err()).isZero();
                CliRun settled = CliRun.pgha("migrate", "check", "-c", n1.pghaYml().toString());
                assertThat(settled.exit()).as(settled.out() + settled.err()).isZero();

                ChildProcess second = n2.startPgha();
                assertThat(second.waitForExit(STEP)).as("pgha beside a running Patroni exits").isTrue();
                assertThat(second.exitCode()).isNotZero();
                assertThat(Files.readString(n2.node.daemonLog())).contains("a live member named node2 already runs");

                replaceReplica(c, writer, n1, n2);
                switchover(c, writer, n1, n2);
                c.awaitPublishedRunning(n2, n1, STEP);
                writer.phase();
                CliRun back = CliRun.pgha("switchover", "-c", n2.pghaYml().toString(), "--leader", "node2", "--candidate", "node1", "--force");
                assertThat(back.exit()).as(back.out() + back.err()).isZero();
                assertThat(c.awaitPrimary(STEP)).isSameAs(n1);
                c.awaitStreaming(n1, n2, STEP);
                c.awaitStreaming(n1, n3, STEP);
                gaps.put("switchover pgha node2 -> Patroni node1 (pgha switchover)", writer.phase());
                replaceReplica(c, writer, n1, n3);

                long postmaster = n1.node.postmasterPid().orElseThrow();
                long timeline = timeline(c, n1);
                int before = writer.count();
                n1.killPatroni();
                n1.startPgha();
                c.dumpOnFailure(() -> {
                    Await.until("pgha answering for node1", STEP, () -> n1.pghaAnswers(c.http));
                    return null;
                });
                assertThat(c.awaitPrimary(STEP)).isSameAs(n1);
                Await.until("writes acknowledged after node1's daemon changed", STEP, () -> writer.count() > before + 25);
                gaps.put("replace the leader node1's Patroni by pgha", writer.phase());
                assertThat(n1.node.postmasterPid()).as("the same postmaster, never restarted").contains(postmaster);
                assertThat(timeline(c, n1)).as("the same timeline: no failover").isEqualTo(timeline);

                n3.stopPgha();
                n3.startPatroni();
                c.dumpOnFailure(() -> {
                    Await.until("Patroni answering for node3", STEP, () -> n3.patroniAnswers(c.http));
                    return null;
                });
                c.awaitReplica(n3, STEP);
                c.awaitStreaming(n1, n3, STEP);
                assertThat(c.awaitPrimary(STEP)).isSameAs(n1);
                gaps.put("roll node3 back from pgha to Patroni", writer.phase());

                // Every write acknowledged so far is on the primary before the mixed cluster loses it.
                Set<Long> beforeCrash = Set.copyOf(writer.acknowledged());
                Set<Long> onOldPrimary = present(c, n1);
                lostBeforeCrash = beforeCrash.stream().filter(id -> !onOldPrimary.contains(id)).count();
                long oldTimeline = timeline(c, n1);
                int atCrash = writer.count();
                n1.crash();
                PatroniNode elected = c.awaitPrimary(Duration.ofSeconds(90));
                PatroniNode other = elected == n2 ? n3 : n2;
                assertThat(elected).isIn(n2, n3);
                c.awaitStreaming(elected, other, STEP);
                Await.until("writes acknowledged by the new primary", STEP, () -> writer.count() > atCrash + 25);
                gaps.put("crash of the pgha primary node1: " + (elected == n2 ? "pgha node2" : "Patroni node3") + " elected", writer.phase());
                assertThat(timeline(c, elected)).as("a new timeline on the elected primary").isGreaterThan(oldTimeline);
                newPrimary = elected;
                acknowledged = writer.acknowledged();
            }
            Set<Long> present = present(c, newPrimary);
            long lost = acknowledged.stream().filter(id -> !present.contains(id)).count();
            System.out.println("Patroni -> pgha migration, 3 nodes, writer every 20 ms, " + acknowledged.size() + " writes acknowledged, "
                    + lostBeforeCrash + " lost before the crash, " + lost + " lost in all (asynchronous replication); longest write gap per step:");
            gaps.forEach((step, ms) -> System.out.printf(Locale.ROOT, "  %-62s %6d ms%n", step, ms));
            assertThat(lostBeforeCrash).as("acknowledged writes lost while moving between daemons").isZero();
            assertThat(gaps.get("replace the leader node1's Patroni by pgha")).as("write gap replacing the leader's daemon, ms")
                    .isLessThan(TTL.toMillis());
        }
    }

    private void replaceReplica(PatroniCluster c, ProbeWriter writer, PatroniNode primary, PatroniNode replica) {
        writer.phase();
        replica.killPatroni();
        replica.startPgha();
        c.dumpOnFailure(() -> {
            Await.until("pgha answering for " + replica.name(), STEP, () -> replica.pghaAnswers(c.http));
            return null;
        });
        c.awaitReplica(replica, STEP);
        c.awaitStreaming(primary, replica, STEP);
        assertThat(c.awaitPrimary(STEP)).isSameAs(primary);
        gaps.put("replace replica " + replica.name() + "'s Patroni by pgha", writer.phase());
    }

    private void switchover(PatroniCluster c, ProbeWriter writer, PatroniNode patroniLeader, PatroniNode pghaReplica) throws Exception {
        c.awaitPublishedRunning(patroniLeader, pghaReplica, STEP);
        writer.phase();
        Patronictl r = Patronictl.run(patroniLeader.patroniYml(), "switchover", "--leader", patroniLeader.name(),
                "--candidate", pghaReplica.name(), "--force");
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(c.awaitPrimary(STEP)).isSameAs(pghaReplica);
        c.awaitStreaming(pghaReplica, patroniLeader, STEP);
        gaps.put("switchover Patroni " + patroniLeader.name() + " -> pgha " + pghaReplica.name() + " (patronictl)", writer.phase());
    }

    private static long timeline(PatroniCluster c, PatroniNode n) throws SQLException {
        try (Connection conn = c.connect(n); Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT timeline_id FROM pg_control_checkpoint()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Set<Long> present(PatroniCluster c, PatroniNode n) throws SQLException {
        Set<Long> ids = new HashSet<>();
        try (Connection conn = c.connect(n); Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT id FROM migration_probe")) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }
}
