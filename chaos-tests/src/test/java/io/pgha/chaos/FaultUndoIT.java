package io.pgha.chaos;

import io.pgha.launch.Await;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What close() relies on when a fault throws before its own heal: with a split, a PostgreSQL
 * freeze, an etcd freeze and a daemon freeze all in effect at once and none healed,
 * {@link ChaosCluster#undoFaults} continues every stopped process and removes every nftables table
 * and the cgroup; the cluster then comes back healthy.
 */
class FaultUndoIT {
    @Test
    void undoFaultsLeavesNothingStoppedAndNoRuleBehind() {
        try (ChaosCluster c = ChaosCluster.create(3, "fast", ChaosIT.java(), false)) {
            c.keepLogsIn = Path.of(System.getProperty("chaos.out", "target/chaos")).resolve("undo-logs");
            c.startAll();
            ChaosNode primary = c.awaitHealthy(ChaosIT.BOOT);
            ChaosNode replica = c.nodes.stream().filter(n -> n != primary).findFirst().orElseThrow();
            int minority = c.awaitEtcdLeader(Fault.ETCD_LEADER_BOUND);
            int frozenMember = (minority + 1) % c.etcd.size();

            c.split(primary, minority);
            int pgStopped = primary.freezePostgres();
            c.freezeEtcd(frozenMember);
            replica.freezeDaemon();

            List<Long> stopped = new ArrayList<>(primary.frozenPostgresPids());
            stopped.add(c.etcd.pid(frozenMember));
            stopped.add(replica.daemonPid());
            assertThat(pgStopped).as("postmaster and children").isGreaterThan(3);
            assertThat(stopped).allMatch(pid -> Procs.stat(pid).map(Procs.Stat::stopped).orElse(false));
            assertThat(c.splitTablePresent()).isTrue();
            assertThat(Files.isDirectory(c.splitCgroup)).isTrue();
            assertThat(c.nodes).allMatch(c::cutTablePresent);

            c.undoFaults();

            assertThat(stopped).as("every stopped process continued").noneMatch(pid -> Procs.stat(pid).map(Procs.Stat::stopped).orElse(false));
            assertThat(primary.postgresFrozen()).isFalse();
            assertThat(c.splitTablePresent()).as("root namespace table " + c.splitTable).isFalse();
            assertThat(Files.exists(c.splitCgroup)).as(c.splitCgroup.toString()).isFalse();
            assertThat(c.nodes).noneMatch(c::cutTablePresent);
            assertThat(c.splitMember()).isEmpty();
            // Undone, not merely unrecorded: etcd agrees on a leader again and the cluster recovers.
            c.awaitEtcdLeader(Fault.ETCD_LEADER_BOUND);
            Await.until("the etcd member that was frozen healthy", Duration.ofSeconds(30), () -> c.etcd.isHealthy(frozenMember));
            c.awaitHealthy(ChaosIT.HEALTHY_BOUND);
        }
    }
}
