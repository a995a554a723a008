package io.pgha.daemon;

import io.pgha.node.NodeStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What the daemon tells systemd (Type=notify): READY=1 after the first HA cycle that read the DCS
 * and knows this member's role, the decision of every cycle as STATUS=, WATCHDOG=1 while cycles
 * keep completing (WatchdogSec=), and STOPPING=1 when shutdown begins. Without $NOTIFY_SOCKET it
 * sends nothing.
 */
final class SystemdReports implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SystemdReports.class);
    /** `systemctl status` shows one line; a decision line with a long error text is cut here. */
    static final int STATUS_MAX = 200;

    private final SystemdNotifier notifier;
    private final Supplier<NodeStatus> status;
    private final Optional<ScheduledExecutorService> watchdogTimer;
    private volatile long lastCycleEndedNanos;
    private volatile boolean stopping;
    private boolean ready;

    private SystemdReports(SystemdNotifier notifier, Supplier<NodeStatus> status, Optional<Duration> watchdogInterval) {
        this.notifier = notifier;
        this.status = status;
        this.lastCycleEndedNanos = System.nanoTime();
        this.watchdogTimer = watchdogInterval.filter(i -> notifier.enabled()).map(this::startWatchdogTimer);
    }

    /**
     * Reads $NOTIFY_SOCKET, $WATCHDOG_USEC and $WATCHDOG_PID as sd_notify(3) and sd_watchdog_enabled(3)
     * do; status is the node status the HA loop publishes after each cycle.
     */
    static SystemdReports start(Map<String, String> env, Supplier<NodeStatus> status) {
        return new SystemdReports(SystemdNotifier.fromEnvironment(env), status, watchdogInterval(env, ProcessHandle.current().pid()));
    }

    /** Half of WatchdogSec=, as systemd advises; empty when no watchdog is asked of this process. */
    static Optional<Duration> watchdogInterval(Map<String, String> env, long pid) {
        String usec = env.get("WATCHDOG_USEC");
        String forPid = env.get("WATCHDOG_PID");
        if (usec == null || forPid != null && !forPid.equals(Long.toString(pid))) {
            return Optional.empty();
        }
        try {
            long micros = Long.parseLong(usec.trim());
            return micros > 0 ? Optional.of(Duration.ofNanos(micros * 1000 / 2)) : Optional.empty();
        } catch (NumberFormatException e) {
            LOG.warn("WATCHDOG_USEC={} is not a number of microseconds; systemd's watchdog is not pinged", usec);
            return Optional.empty();
        }
    }

    private ScheduledExecutorService startWatchdogTimer(Duration interval) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "systemd-watchdog");
            t.setDaemon(true);
            return t;
        });
        long nanos = Math.max(1, interval.toNanos());
        timer.scheduleAtFixedRate(this::pingIfCycling, 0, nanos, TimeUnit.NANOSECONDS);
        LOG.info("systemd watchdog: pinged every {} ms while HA cycles complete", interval.toMillis());
        return timer;
    }

    /** Called by the HA loop with the summary line of each cycle it completed. */
    synchronized void cycleEnded(String line) {
        lastCycleEndedNanos = System.nanoTime();
        if (stopping) {
            return;
        }
        if (!ready && roleKnown(status.get())) {
            // The REST API listens before the loop's first cycle starts (Daemon starts it first), so it answers now.
            ready = notifier.send("READY=1");
        }
        notifier.send("STATUS=" + oneLine(line));
    }

    /**
     * A cycle that threw: the status says why, but the watchdog's clock is not reset, so a loop
     * that only fails is, after loop_wait + ttl, treated as stuck.
     */
    synchronized void cycleFailed(String line) {
        if (!stopping) {
            notifier.send("STATUS=" + oneLine(line));
        }
    }

    /** Shutdown has begun: systemd shows "deactivating" rather than a failed service. */
    synchronized void stopping() {
        stopping = true;
        watchdogTimer.ifPresent(ScheduledExecutorService::shutdownNow);
        notifier.send("STOPPING=1");
    }

    /**
     * A loop that waits loop_wait between cycles and gives up on the DCS after retry_timeout ends a
     * cycle well within loop_wait + ttl; one silent for longer is stuck (and by then the fence has
     * stopped a primary anyway), so systemd may restart the daemon.
     */
    private void pingIfCycling() {
        NodeStatus s = status.get();
        long stuckAfter = s.loopWait().plus(s.ttl()).toNanos();
        if (!stopping && System.nanoTime() - lastCycleEndedNanos < stuckAfter) {
            notifier.send("WATCHDOG=1");
        }
    }

    /** The role is known once a cycle has read the cluster from the DCS and PostgreSQL has a data directory. */
    static boolean roleKnown(NodeStatus s) {
        return s != null && s.cluster().isPresent() && !"uninitialized".equals(s.pg().role());
    }

    /** A log line may carry a multi-line error from PostgreSQL; the status is one line. */
    static String oneLine(String line) {
        String flat = line.strip().replaceAll("\\s*[\\r\\n]+\\s*", " / ");
        return flat.length() <= STATUS_MAX ? flat : flat.substring(0, STATUS_MAX - 1) + "…";
    }

    @Override
    public void close() {
        watchdogTimer.ifPresent(ScheduledExecutorService::shutdownNow);
        notifier.close();
    }
}
