package io.pgha.backup;

import io.pgha.cli.CliRun;
import io.pgha.daemon.LocalCluster;
import io.pgha.demo.LocalNode;
import io.pgha.launch.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built-in schedule on a real two-node cluster, every minute so that the test sees several
 * slots: only the leader backs up, each slot once, and when the leader dies the new leader carries
 * the schedule on.
 */
class ScheduledBackupIT {
    static final Duration BOOT = Duration.ofSeconds(120);
    /** A slot comes every minute and is seen within one 30 s tick; a backup takes seconds. */
    static final Duration A_SLOT = Duration.ofSeconds(150);
    static LocalCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = new LocalCluster(2, "fast", "", null, dir -> "backup:\n  repo_path: " + dir.resolve("repo")
                + "\n  retention_full: 50\n  schedule:\n    full: '* * * * *'\n    diff: 'off'");
        cluster.startAll();
        cluster.awaitHealthy(BOOT);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    record Listed(String label, Instant start, String member) {
    }

    @Test
    void onlyTheLeaderBacksUpEachSlotOnceAndTheNextLeaderCarriesOn() {
        LocalNode leader = cluster.awaitPrimary(BOOT);
        LocalNode other = cluster.nodes.stream().filter(n -> n != leader).findFirst().orElseThrow();
        cluster.dumpOnFailure(() -> Await.value("a scheduled backup by the leader " + leader.name(), A_SLOT,
                () -> Optional.of(backups(other)).filter(l -> l.stream().anyMatch(b -> b.member().equals(leader.name())))));
        assertThat(backups(other)).extracting(Listed::member).containsOnly(leader.name());

        cluster.crash(leader);
        cluster.dumpOnFailure(() -> Await.value("a scheduled backup by the new leader " + other.name(), Duration.ofSeconds(60).plus(A_SLOT),
                () -> Optional.of(backups(other)).filter(l -> l.stream().anyMatch(b -> b.member().equals(other.name())))));

        List<Listed> all = backups(other);
        System.out.println("scheduled backups: " + all);
        assertThat(all).extracting(Listed::member).containsOnly(leader.name(), other.name());
        Set<Instant> slots = all.stream().map(b -> b.start().truncatedTo(ChronoUnit.MINUTES)).collect(Collectors.toSet());
        assertThat(slots).as("one backup per minute of the schedule, never two").hasSameSizeAs(all);
    }

    /** {@code pgha backup list}: label, type, start, …, member last. */
    private static List<Listed> backups(LocalNode on) {
        CliRun r = CliRun.pgha("backup", "list", "-c", on.config().toString());
        assertThat(r.exit()).as(r.err()).isZero();
        return r.out().lines().filter(l -> l.matches("^[0-9]{8}-[0-9]{6}F.*")).map(l -> {
            String[] f = l.trim().split("\\s+");
            return new Listed(f[0], Instant.parse(f[2]), f[f.length - 1]);
        }).toList();
    }
}
