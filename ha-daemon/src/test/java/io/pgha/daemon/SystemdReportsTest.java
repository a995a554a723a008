package io.pgha.daemon;

import io.pgha.dcs.model.Cluster;
import io.pgha.node.NodeStatus;
import io.pgha.node.PgSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class SystemdReportsTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration QUIET = Duration.ofMillis(300);

    @Test
    void readyOnceACycleKnowsTheRoleThenOneStatusPerCycleAndStoppingLast(@TempDir Path dir) {
        String path = dir.resolve("notify").toString();
        AtomicReference<NodeStatus> status = new AtomicReference<>(status(Optional.empty(), "uninitialized", Duration.ofSeconds(30)));
        try (NotifySocketListener systemd = NotifySocketListener.bind(path);
             SystemdReports reports = SystemdReports.start(Map.of("NOTIFY_SOCKET", path), status::get)) {
            reports.cycleEnded("wait: DCS unreachable");
            assertThat(systemd.next(WAIT)).contains("STATUS=wait: DCS unreachable");

            status.set(status(Optional.of(Cluster.empty(5)), "primary", Duration.ofSeconds(30)));
            reports.cycleEnded("acquire leader key → won");
            assertThat(systemd.next(WAIT)).contains("READY=1");
            assertThat(systemd.next(WAIT)).contains("STATUS=acquire leader key → won");

            reports.cycleEnded("keep leading\nsecond line");
            assertThat(systemd.next(WAIT)).contains("STATUS=keep leading / second line");

            reports.stopping();
            reports.cycleEnded("last cycle during shutdown");
            assertThat(systemd.next(WAIT)).contains("STOPPING=1");
            assertThat(systemd.next(QUIET)).isEmpty();
        }
    }

    @Test
    void watchdogPingsStopWhenCyclesStopAndResumeWithTheNextCycle(@TempDir Path dir) {
        String path = dir.resolve("notify").toString();
        // ttl 200 ms + loop_wait 100 ms: a loop silent for 300 ms counts as stuck.
        AtomicReference<NodeStatus> status = new AtomicReference<>(status(Optional.of(Cluster.empty(5)), "replica", Duration.ofMillis(200)));
        try (NotifySocketListener systemd = NotifySocketListener.bind(path);
             SystemdReports reports = SystemdReports.start(Map.of("NOTIFY_SOCKET", path, "WATCHDOG_USEC", "100000"), status::get)) {
            systemd.await("WATCHDOG=1"::equals, WAIT);
            awaitSilence(systemd);

            reports.cycleEnded("follow the leader");
            systemd.await("WATCHDOG=1"::equals, WAIT);
            assertThat(systemd.received()).contains("READY=1", "STATUS=follow the leader");

            reports.stopping();
            systemd.await("STOPPING=1"::equals, WAIT);
            assertThat(systemd.next(QUIET)).as("no ping after STOPPING=1").isEmpty();
        }
    }

    @Test
    void aFailedCycleSetsTheStatusButNeitherSignalsReadyNorKeepsTheWatchdogFed(@TempDir Path dir) {
        String path = dir.resolve("notify").toString();
        AtomicReference<NodeStatus> status = new AtomicReference<>(status(Optional.of(Cluster.empty(5)), "replica", Duration.ofMillis(200)));
        try (NotifySocketListener systemd = NotifySocketListener.bind(path);
             SystemdReports reports = SystemdReports.start(Map.of("NOTIFY_SOCKET", path, "WATCHDOG_USEC", "100000"), status::get)) {
            awaitSilence(systemd);
            reports.cycleFailed("cycle failed: java.lang.IllegalStateException: boom");
            assertThat(systemd.next(WAIT)).contains("STATUS=cycle failed: java.lang.IllegalStateException: boom");
            assertThat(systemd.next(QUIET)).as("no READY=1 and no WATCHDOG=1 after a failed cycle").isEmpty();
        }
    }

    @Test
    void theWatchdogIsHalfOfWatchdogUsecAndOnlyForTheProcessItNames() {
        long me = ProcessHandle.current().pid();
        assertThat(SystemdReports.watchdogInterval(Map.of("WATCHDOG_USEC", "30000000"), me)).contains(Duration.ofSeconds(15));
        assertThat(SystemdReports.watchdogInterval(Map.of("WATCHDOG_USEC", "30000000", "WATCHDOG_PID", Long.toString(me)), me))
                .contains(Duration.ofSeconds(15));
        assertThat(SystemdReports.watchdogInterval(Map.of("WATCHDOG_USEC", "30000000", "WATCHDOG_PID", "1"), me)).isEmpty();
        assertThat(SystemdReports.watchdogInterval(Map.of("WATCHDOG_USEC", "soon"), me)).isEmpty();
        assertThat(SystemdReports.watchdogInterval(Map.of(), me)).isEmpty();
    }

    @Test
    void aLongStatusIsCutToOneShortLine() {
        assertThat(SystemdReports.oneLine("x".repeat(500))).hasSize(SystemdReports.STATUS_MAX).endsWith("…");
        assertThat(SystemdReports.oneLine("  a\r\n  b \n")).isEqualTo("a / b");
    }

    /** Waits until the pings stop: no message for a while, within a bounded time. */
    private static void awaitSilence(NotifySocketListener systemd) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (systemd.next(QUIET).isPresent()) {
            assertThat(System.nanoTime()).as("the pings stop once no cycle completes").isLessThan(deadline);
        }
    }

    private static NodeStatus status(Optional<Cluster> cluster, String role, Duration ttl) {
        PgSnapshot pg = PgSnapshot.notRunning("stopped", role);
        return new NodeStatus("demo", "pg1", Daemon.VERSION, pg, false, 0, cluster, 0, 0, System.nanoTime(), ttl,
                ttl.dividedBy(2), Map.of(), false, "", "", "");
    }
}
