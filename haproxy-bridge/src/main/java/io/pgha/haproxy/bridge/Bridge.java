package io.pgha.haproxy.bridge;

import io.pgha.config.RtoPreset;
import io.pgha.dcs.ClusterEvent;
import io.pgha.dcs.ClusterWatch;
import io.pgha.dcs.Dcs;
import io.pgha.haproxy.config.HaproxySettings;
import io.pgha.haproxy.runtime.HaproxyRejectedException;
import io.pgha.haproxy.runtime.HaproxyUnavailableException;
import io.pgha.haproxy.runtime.MasterCli;
import io.pgha.haproxy.runtime.RuntimeApi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * {@code pgha haproxy}: keeps one node's HAProxy in step with the DCS.
 *
 * <p>A leader change is pushed through the runtime API the moment the watch reports it, from the
 * event itself, before anything is read: the new leader ready in the leader-only services, the
 * old one in maintenance with its sessions shut down. Health checks stay configured as the backstop
 * for when this process is down.
 *
 * <p>Membership changes re-render the config; the reload waits until the topology has been quiet for
 * a second and a leader exists, so the reload never delays a leader push during a failover. A config
 * that does not pass {@code haproxy -c} is never put in place.
 *
 * <p>When HAProxy or its sockets are missing, or the DCS cannot be read, it says so once and keeps
 * retrying; it acts only on what it has read, so a stale view never overrides the health checks.
 *
 * <p>Everything runs on one thread, in event order; the watch only queues.
 */
public final class Bridge implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Bridge.class);
    static final Duration RETRY = Duration.ofSeconds(1);
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(2);
    static final Duration RELOAD_TIMEOUT = Duration.ofSeconds(15);

    private final HaproxySettings settings;
    private final String scope;
    private final String node;
    private final Dcs dcs;
    private final ClusterView view;
    private final HaproxyLink haproxy;
    private final LeaderPush leaderPush;
    private final ConfigRollout rollout;
    private final BlockingQueue<Signal> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final LongSupplier nanos;

    private volatile boolean closed;
    private ClusterWatch watch;
    private ReadSchedule reads = ReadSchedule.BEFORE_FIRST_RECONCILE;

    private sealed interface Signal {
        record Event(ClusterEvent event, long receivedNanos) implements Signal {
        }

        record Stop() implements Signal {
        }
    }

    public Bridge(HaproxySettings settings, String scope, String node, RtoPreset fileRto, Dcs dcs) {
        this(settings, scope, node, fileRto, dcs, System::nanoTime);
    }

    /** {@code nanos} is the clock every due time is read from: {@link System#nanoTime()} but in tests. */
    public Bridge(HaproxySettings settings, String scope, String node, RtoPreset fileRto, Dcs dcs, LongSupplier nanos) {
        this.settings = Objects.requireNonNull(settings);
        this.scope = scope;
        this.node = node;
        this.dcs = dcs;
        this.view = new ClusterView(dcs);
        this.nanos = Objects.requireNonNull(nanos);
        RuntimeApi runtime = new RuntimeApi(settings.runtimeSocket(), SOCKET_TIMEOUT);
        MasterCli master = new MasterCli(settings.masterSocket(), SOCKET_TIMEOUT);
        this.haproxy = new HaproxyLink(settings.runtimeSocket(), master);
        this.leaderPush = new LeaderPush(settings, scope, runtime, haproxy, new OldWorkerSessions(master));
        this.rollout = new ConfigRollout(settings, scope, node, fileRto, new ConfigDeployer(settings, runtime, master, RELOAD_TIMEOUT));
        this.thread = new Thread(this::loop, "haproxy-bridge");
    }

    public Bridge start() {
        LOG.info("bridge for {} of cluster {} starting: config {}, runtime API {}, master CLI {}", node, scope,
                settings.configFile(), settings.runtimeSocket(), settings.masterSocket());
        thread.start();
        return this;
    }

    public void awaitTermination() throws InterruptedException {
        thread.join();
    }

    @Override
    public void close() {
        closed = true;
        stopped.countDown();
        queue.add(new Signal.Stop());
        thread.interrupt(); // out of a reload wait or a socket exchange at once
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (watch != null) {
            watch.close();
        }
    }

    private void loop() {
        while (!closed) {
            try {
                if (!view.hasSnapshot()) {
                    if (!firstRead()) {
                        waitFor(RETRY);
                        continue;
                    }
                    watch = dcs.watch(view.snapshot().revision(), e -> queue.add(new Signal.Event(e, nanos.getAsLong())));
                    reconcile("start", nanos.getAsLong());
                    continue;
                }
                Signal first = queue.poll(Math.max(1, reads.millisUntilDue(nanos.getAsLong(), rollout.schedule())), TimeUnit.MILLISECONDS);
                List<Signal> batch = new ArrayList<>();
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch);
                }
                handle(batch);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.error("bridge cycle failed, retrying in {} ms: {}", RETRY.toMillis(), e.toString(), e);
                waitFor(RETRY);
            }
        }
    }

    private void handle(List<Signal> batch) {
        boolean leaderEvent = false;
        boolean needRead = false;
        long receivedAt = nanos.getAsLong();
        String why = "resync";
        for (Signal s : batch) {
            if (s instanceof Signal.Stop) {
                return;
            }
            Signal.Event ev = (Signal.Event) s;
            receivedAt = Math.min(receivedAt, ev.receivedNanos());
            ClusterView.Seen seen = view.observe(ev.event());
            if (seen.leaderMoved().isPresent()) {
                leaderEvent = true;
                why = seen.leaderMoved().get();
            }
            needRead |= seen.needsRead();
        }
        if (leaderEvent) {
            // The fast path: straight from the event, before any read.
            push(why, receivedAt);
        }
        if (leaderEvent || needRead || reads.due(nanos.getAsLong())) {
            reconcile(leaderEvent ? "after " + why : needRead ? "membership or config changed" : "resync", receivedAt);
        } else {
            maybeDeploy();
        }
    }

    /** Read the cluster, push states, and re-render; the periodic and after-event path. */
    private void reconcile(String why, long since) {
        reads = reads.reconciling(nanos.getAsLong());
        if (!read()) {
            reads = reads.retry(nanos.getAsLong());
            return;
        }
        checkHaproxyRestart();
        push(why, since);
        maybeDeploy();
    }

    private boolean firstRead() {
        if (!read()) {
            return false;
        }
        leaderPush.trustLeader(view.leader());
        LOG.info("cluster {}: leader {}, members {}", scope, view.leader().orElse("none"),
                String.join(", ", view.snapshot().members().keySet()));
        return true;
    }

    private boolean read() {
        if (!view.read()) {
            return false;
        }
        rollout.render(view.snapshot(), nanos.getAsLong());
        return true;
    }

    /** Brings the leader-only services in line with the leader and fences; one log line if anything changed. */
    private void push(String why, long since) {
        if (!view.hasSnapshot()) {
            return;
        }
        LeaderPush.Pushed pushed;
        try {
            pushed = leaderPush.push(view);
        } catch (HaproxyUnavailableException | HaproxyRejectedException e) {
            unreachable(e);
            return;
        }
        if (!pushed.actions().isEmpty()) {
            LOG.info("{}: {} [{} ms after the event]", why, ActionSummary.describe(pushed.actions()), (nanos.getAsLong() - since) / 1_000_000);
        }
        if (pushed.leaderMissing()) {
            rollout.leaderMissing(nanos.getAsLong());
        }
    }

    private void unreachable(RuntimeException e) {
        haproxy.failed(e);
        reads = reads.retry(nanos.getAsLong());
    }

    /** The first master seen, and every new one after a restart, tells the rollout what HAProxy runs. */
    private void checkHaproxyRestart() {
        try {
            haproxy.newMaster().ifPresent(p -> rollout.newMaster(p.workerUptime(), nanos.getAsLong()));
        } catch (HaproxyUnavailableException | HaproxyRejectedException e) {
            unreachable(e);
        }
    }

    private void maybeDeploy() {
        if (rollout.deployIfDue(nanos.getAsLong(), view.leader().isPresent(), haproxy.reachable(), leaderPush.lastStates())) {
            push("after reload", nanos.getAsLong());
        }
    }

    private void waitFor(Duration d) {
        try {
            stopped.await(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }
}
