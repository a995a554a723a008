package io.pgha.daemon;

import io.pgha.config.CallbackEvent;
import io.pgha.backup.Backrest;
import io.pgha.config.ConfigException;
import io.pgha.config.DynamicConfig;
import io.pgha.config.PghaConfig;
import io.pgha.config.Timing;
import io.pgha.config.Validated;
import io.pgha.dcs.ClusterEvent;
import io.pgha.dcs.ClusterWatch;
import io.pgha.dcs.Consistency;
import io.pgha.dcs.Dcs;
import io.pgha.dcs.DcsException;
import io.pgha.dcs.DcsRejectedException;
import io.pgha.dcs.MemberSession;
import io.pgha.dcs.MonotonicClock;
import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.ClusterKey;
import io.pgha.node.FailsafeAcknowledgements;
import io.pgha.node.NodeStatus;
import io.pgha.node.OperationLog;
import io.pgha.node.OperatorRequests;
import io.pgha.node.PgSnapshot;
import io.pgha.postgres.PgOsUser;
import io.pgha.postgres.Postgres;
import io.pgha.vip.VipConfig;
import io.pgha.vip.VipKeeper;
import io.pgha.watchdog.Watchdog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One node's HA daemon: wires the DCS session, PostgreSQL, the fence, the HA loop and the REST API
 * together, refuses to start when it would be unsafe, and on shutdown stops PostgreSQL and hands
 * the leader key over at once instead of letting it expire.
 */
public final class Daemon implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);
    /** The Maven project version; `pgha --version` prints the same. */
    public static final String VERSION = BuildVersion.read();

    private final PghaConfig config;
    private final Dcs dcs;
    private final MemberSession session;
    private final Postgres pg;
    private final Fence fence;
    private final Watchdog watchdog;
    private final Optional<VipKeeper> vip;
    private final HaLoop loop;
    private final Thread loopThread;
    private final ClusterWatch watch;
    private final AtomicReference<NodeStatus> status;
    private final AutoCloseable rest;
    private final Callbacks callbacks;
    private final SystemdReports systemd;
    private final Optional<ScheduledBackups> backups;

    /** Something that makes starting this node unsafe or impossible; the message says what. */
    public static final class RefusedToStart extends RuntimeException {
        public RefusedToStart(String message) {
            super(message);
        }
    }

    /** The REST API, started once the node's status exists; returns what stops it. */
    @FunctionalInterface
    public interface RestStarter {
        AutoCloseable start(PghaConfig config, AtomicReference<NodeStatus> status, Dcs dcs, MonotonicClock clock, Runnable wakeUp,
                            OperatorRequests requests, OperationLog operations, FailsafeAcknowledgements failsafeAcks);
    }

    public static Daemon start(PghaConfig config, Peers peers, RestStarter restStarter) {
        return new Daemon(config, peers, restStarter, MonotonicClock.SYSTEM);
    }

    private Daemon(PghaConfig config, Peers peers, RestStarter restStarter, MonotonicClock clock) {
        this.config = config;
        PgOsUser user = PgOsUser.forDataDirectory(config.postgresql().dataDir());
        Timing bootTiming = config.bootstrapTiming();
        this.dcs = openDcs(config, bootTiming);
        Cluster cluster = firstRead(bootTiming);
        refuseDuplicateName(cluster);
        DynamicConfig dynamic = cluster.config().map(c -> DynamicConfig.fromJson(c.value())).orElse(config.bootstrapDcs());
        Validated<Timing> timing = config.timing(dynamic);
        if (!timing.isValid()) {
            throw new RefusedToStart("the cluster's config key has invalid timing: " + timing.problems());
        }
        Optional<VipConfig> vipConfig;
        try {
            vipConfig = DaemonVip.config(config, timing.value());
        } catch (ConfigException e) {
            dcs.close();
            throw new RefusedToStart("the vip section is not valid: " + e.getMessage());
        }
        this.session = dcs.openSession(config.name(), timing.value().ttl().toSeconds());
        this.pg = new Postgres(config.postgresql(), config.scope(), config.name(), user, timing.value().retryTimeout().plusSeconds(2), clock);
        // archive_command reads it from the first start on; written before anything can start PostgreSQL.
        Optional<Backrest> backrest = config.backup().map(b -> new Backrest(config));
        backrest.ifPresent(Backrest::writeConfig);
        this.status = new AtomicReference<>(initialStatus(timing.value(), dynamic));
        this.callbacks = new Callbacks(config.postgresql().callbacks(), config.scope());
        HaLoop[] holder = new HaLoop[1];
        // Health checks turn 503 before PostgreSQL is stopped, not a poll after: HAProxy must not send
        // a client to a primary that is being fenced or demoted.
        Consumer<String> announce = state -> {
            if (holder[0] != null) {
                holder[0].announceStopped(state);
            }
        };
        this.fence = new Fence(clock, () -> {
            announce.accept("fencing");
            return pg.fence();
        }, () -> holder[0].postgresExited());
        fence.guardedOutsideBy(FenceKeeper.start(config.postgresql().dataDir()));
        OperationLog operations = new OperationLog(Clock.systemUTC());
        OperatorRequests requests = new OperatorRequests();
        Handover handover = new Handover(pg, dcs, session, config.postgresql().authentication(), callbacks, operations,
                () -> announce.accept("stopped"));
        Actions actions = new Actions(config, dcs, session, pg, callbacks, handover, fence::disarm, announce, backrest);
        MemberReport report = new MemberReport(MemberReport.connUrl(config), MemberReport.apiUrl(config), VERSION,
                config.tags().toMemberTags());
        FailsafeAcknowledgements failsafeAcks = new FailsafeAcknowledgements();
        // A failed required watchdog keeps the node out of races for one ttl, then it may try again.
        this.watchdog = Watchdog.of(config.watchdog(), clock, timing.value().ttl());
        this.loop = new HaLoop(config, dcs, session, pg, fence, actions, peers, clock, status, report, dynamic, timing.value(),
                requests, operations, watchdog, failsafeAcks);
        holder[0] = loop;
        pg.onExit(loop::postgresExited);
        try {
            // The lease holder's VIP, kept by the same logic as `pgha vip`, on this daemon's DCS connection.
            this.vip = vipConfig.map(v -> VipKeeper.start(v, dcs, config.name()));
        } catch (RuntimeException e) {
            session.close();
            dcs.close();
            throw new RefusedToStart("VIP manager not started: " + e.getMessage());
        }
        try {
            this.rest = restStarter.start(config, status, dcs, clock, () -> loop.wake("REST"), requests, operations, failsafeAcks);
        } catch (RuntimeException e) {
            vip.ifPresent(VipKeeper::close);
            session.close();
            dcs.close();
            throw new RefusedToStart("REST API not started on " + config.restapi().listen() + ": " + e.getMessage());
        }
        this.backups = backrest.flatMap(b -> ScheduledBackups.start(config.name(), config.backup().orElseThrow(), dcs, b, status::get));
        this.systemd = SystemdReports.start(System.getenv(), status::get);
        loop.onCycleEnded(systemd::cycleEnded, systemd::cycleFailed);
        this.watch = dcs.watch(cluster.revision(), this::onEvent);
        this.loopThread = new Thread(loop, "ha-loop");
        loopThread.start();
        LOG.info("started {} of cluster {}: ttl {} s, loop_wait {} s, retry_timeout {} s, safety margin {} s",
                config.name(), config.scope(), timing.value().ttl().toSeconds(), timing.value().loopWait().toSeconds(),
                timing.value().retryTimeout().toSeconds(), timing.value().safetyMargin().toSeconds());
    }

    private static Dcs openDcs(PghaConfig config, Timing timing) {
        try {
            return Dcs.open(config, timing.retryTimeout());
        } catch (DcsRejectedException e) {
            throw new RefusedToStart(e.getMessage());
        }
    }

    /** Patroni waits for the DCS before doing anything; so do we, saying so every attempt. */
    private Cluster firstRead(Timing timing) {
        while (true) {
            long attempt = System.nanoTime();
            try {
                return dcs.read(Consistency.LINEARIZABLE);
            } catch (DcsException e) {
                LOG.warn("waiting for the DCS before starting: {}", e.getMessage());
                try {
                    // One attempt per loop_wait, counted from its start: a cold client's first read often
                    // times out, and a restarted primary's daemon has only what is left of its lease to
                    // take its key over before the fence keeper stops PostgreSQL.
                    Thread.sleep(Math.max(0, timing.loopWait().toMillis() - (System.nanoTime() - attempt) / 1_000_000));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new RefusedToStart("interrupted while waiting for the DCS");
                }
            }
        }
    }

    private void refuseDuplicateName(Cluster cluster) {
        Optional<String> apiUrl = cluster.member(config.name()).map(m -> m.data().apiUrl()).filter(u -> !u.isBlank());
        if (apiUrl.isEmpty()) {
            return;
        }
        String liveness = apiUrl.get().replaceFirst("/patroni$", "") + "/liveness";
        // HttpURLConnection, not java.net.http: one request at start does not justify loading that module.
        int status;
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(liveness).toURL().openConnection();
            c.setConnectTimeout(2000);
            c.setReadTimeout(2000);
            status = c.getResponseCode();
            c.disconnect();
        } catch (IOException | IllegalArgumentException e) {
            return; // nobody answers at that address: the member key is a leftover of a previous run of ours
        }
        if (status == 200) {
            dcs.close();
            throw new RefusedToStart("a live member named " + config.name() + " already runs (its " + liveness
                    + " answers 200); names must be unique in cluster " + config.scope());
        }
    }

    private NodeStatus initialStatus(Timing timing, DynamicConfig dynamic) {
        return new NodeStatus(config.scope(), config.name(), VERSION, PgSnapshot.notRunning("stopped", "uninitialized"), false, 0,
                Optional.empty(), 0, 0, System.nanoTime(), session.lease().ttl(), timing.loopWait(), config.tags().toMemberTags(),
                dynamic.pause(), "starting", "daemon starting", "");
    }

    private void onEvent(ClusterEvent e) {
        if (e instanceof ClusterEvent.LeaderDeleted d) {
            loop.wake("leader key of " + d.previousLeader() + " gone");
        } else if (e instanceof ClusterEvent.LeaderChanged c) {
            loop.wake("leader key now " + c.leader());
        } else if (e instanceof ClusterEvent.ConfigChanged) {
            loop.wake("config changed");
        } else if (e instanceof ClusterEvent.KeyChanged k && (k.key() == ClusterKey.INITIALIZE || k.key() == ClusterKey.FAILOVER)) {
            loop.wake(k.key().name().toLowerCase(Locale.ROOT) + " changed");
        } else if (e instanceof ClusterEvent.Resynced) {
            loop.wake("watch resynced");
        }
    }

    public NodeStatus status() {
        return status.get();
    }

    /** Blocks until the loop thread ends (shutdown). */
    public void awaitTermination() throws InterruptedException {
        loopThread.join();
    }

    /**
     * Stops the loop, then PostgreSQL (fast), then hands over the leader key and revokes the lease so
     * that replicas race at once instead of waiting for the TTL.
     */
    @Override
    public void close() {
        systemd.stopping();
        backups.ifPresent(ScheduledBackups::close);
        loop.stop();
        try {
            loopThread.join(Wakeup.toNanos(loop.timing().ttl()) / 1_000_000 + 5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(watch);
        fence.disarm();
        if (pg.postmasterPid().isPresent()) {
            String role = status.get().pg().role();
            var r = pg.stop(Postgres.StopMode.FAST);
            LOG.info("shutdown: PostgreSQL {}", r.ok() ? "stopped" : "not stopped cleanly: " + r.describe());
            callbacks.fire(CallbackEvent.ON_STOP, role);
        }
        if (pg.postmasterPid().isEmpty()) {
            watchdog.disable("clean shutdown");
        } else {
            // Patroni does the same: a primary we could not stop stays under the watchdog, unpinged.
            watchdog.standDown(true, "shutdown with PostgreSQL still running");
        }
        try {
            if (status.get().holdsLeaderKey() && session.releaseLeader()) {
                LOG.info("shutdown: leader key released");
            }
        } catch (DcsException e) {
            LOG.warn("shutdown: leader key not released ({}); it expires with the lease", e.getMessage());
        }
        vip.ifPresent(Daemon::closeQuietly);
        closeQuietly(session);
        closeQuietly(rest);
        fence.close();
        pg.close();
        dcs.close();
        systemd.close();
        LOG.info("shutdown complete");
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (Exception e) {
            LOG.warn("while shutting down: {}", e.toString());
        }
    }
}
