package io.pgha.vip;

import io.pgha.dcs.ClusterEvent;
import io.pgha.dcs.ClusterWatch;
import io.pgha.dcs.Consistency;
import io.pgha.dcs.Dcs;
import io.pgha.dcs.DcsException;
import io.pgha.dcs.MonotonicClock;
import io.pgha.dcs.model.Cluster;
import io.pgha.vip.net.AddressBinder;
import io.pgha.vip.net.KernelBinder;
import io.pgha.vip.net.NetException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Keeps the VIP on this node exactly while the DCS names this node leader, with an explicit policy
 * for a DCS that stops answering. Two threads: the poller asks the DCS (and, when the DCS is lost,
 * the local daemon) — calls that may block for a second; the keeper owns every piece of state and
 * every change to the interface, so decisions and actions never interleave. A watch on the cluster
 * prefix moves the VIP as soon as the leader key changes; the poll every {@code interval} is the
 * backstop for what a watch cannot see (a lease renewed in place, a watch silently lost) and
 * the heartbeat the DCS-loss grace is measured by. Each reconcile also re-reads the interface, so an
 * address removed (or added) by hand is put right within one interval.
 *
 * <p>Standalone this runs in {@code pgha vip}; the HA daemon can run it in-process with its own
 * {@link Dcs} and member name via {@link #start(VipConfig, Dcs, String, AddressBinder, FailsafeProbe)}.
 */
public final class VipKeeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VipKeeper.class);

    private final VipConfig config;
    private final Dcs dcs;
    private final String member;
    private final AddressBinder binder;
    private final boolean ownsBinder;
    private final FailsafeProbe failsafeProbe;
    private final MonotonicClock clock;
    private final ScheduledExecutorService keeper;
    private final ScheduledExecutorService poller;
    private final String what;

    // Keeper-thread state.
    private DcsView view;
    private boolean polledOnce;
    private long revision = -1;
    private FailsafeVerdict failsafe = FailsafeVerdict.notAsked();
    private Want lastWant;
    private boolean boundByUs;
    private ScheduledFuture<?> announcements;
    private String lastNetworkProblem = "";
    private volatile boolean holding;

    // Poller-thread state.
    private ClusterWatch watch;
    private volatile boolean closed;

    private VipKeeper(VipConfig config, Dcs dcs, String member, AddressBinder binder, boolean ownsBinder,
                      FailsafeProbe failsafeProbe, MonotonicClock clock) {
        this.config = config;
        this.dcs = dcs;
        this.member = member;
        this.binder = binder;
        this.ownsBinder = ownsBinder;
        this.failsafeProbe = failsafeProbe;
        this.clock = clock;
        this.what = config.vip() + " on " + config.interfaceName();
        this.view = DcsView.initial(clock.nanos());
        this.keeper = Executors.newSingleThreadScheduledExecutor(r -> daemonThread(r, "pgha-vip-keeper"));
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> daemonThread(r, "pgha-vip-poll"));
    }

    private static Thread daemonThread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * Standalone use: binds on the configured interface of this network namespace, and asks the
     * configured REST URL for failsafe leadership when the policy says so. Throws
     * {@link NetException} when the interface is unusable or a capability is missing.
     */
    public static VipKeeper start(VipConfig config, Dcs dcs, String member) {
        AddressBinder binder = KernelBinder.open(config.interfaceName(), config.vip());
        FailsafeProbe probe = config.dcsLossPolicy() instanceof DcsLossPolicy.HoldWhileFailsafe h
                ? new PatroniFailsafeProbe(h.failsafeUrl(), h.failsafeCaFile()) : FailsafeProbe.NEVER;
        try {
            return start(config, dcs, member, binder, probe, true, MonotonicClock.SYSTEM);
        } catch (RuntimeException e) {
            binder.close();
            throw e;
        }
    }

    /** In-process use (the HA daemon): the caller supplies the binder and answers the failsafe question itself. */
    public static VipKeeper start(VipConfig config, Dcs dcs, String member, AddressBinder binder, FailsafeProbe probe) {
        return start(config, dcs, member, binder, probe, false, MonotonicClock.SYSTEM);
    }

    private static VipKeeper start(VipConfig config, Dcs dcs, String member, AddressBinder binder, FailsafeProbe probe,
                                   boolean ownsBinder, MonotonicClock clock) {
        binder.usableLink(); // refuse to start on a missing, down or loopback interface
        VipKeeper k = new VipKeeper(config, dcs, member, binder, ownsBinder, probe, clock);
        LOG.info("keeping {} for member {}", config.describe(), member);
        long every = config.interval().toNanos();
        k.poller.scheduleWithFixedDelay(k::poll, 0, every, TimeUnit.NANOSECONDS);
        k.keeper.scheduleWithFixedDelay(() -> k.reconcile("tick"), every, every, TimeUnit.NANOSECONDS);
        return k;
    }

    /** Whether this node holds the VIP as of the last reconcile. */
    public boolean holding() {
        return holding;
    }

    // ---- poller thread -------------------------------------------------------------------------

    private void poll() {
        if (closed) {
            return;
        }
        long askedAt = clock.nanos();
        try {
            Cluster cluster = dcs.read(Consistency.LINEARIZABLE);
            Optional<String> leader = cluster.leaderName();
            long rev = cluster.revision();
            submit(() -> onAnswer(leader, rev, askedAt, "poll"));
            if (watch == null && !closed) {
                watch = dcs.watch(rev, this::onWatchEvent);
            }
        } catch (DcsException e) {
            String error = e.getMessage();
            FailsafeVerdict verdict = config.dcsLossPolicy() instanceof DcsLossPolicy.HoldWhileFailsafe
                    ? askFailsafe() : FailsafeVerdict.notAsked();
            submit(() -> onFailure(error, clock.nanos(), verdict));
        } catch (RuntimeException e) {
            LOG.error("polling the DCS failed unexpectedly; will try again in {} ms", config.interval().toMillis(), e);
        }
    }

    private FailsafeVerdict askFailsafe() {
        try {
            return failsafeProbe.ask();
        } catch (RuntimeException e) {
            return new FailsafeVerdict(false, "failsafe probe failed: " + e);
        }
    }

    /** Watch thread: hand the event to the keeper at once; a leader change moves the VIP without waiting for a poll. */
    private void onWatchEvent(ClusterEvent event) {
        long at = clock.nanos();
        if (event instanceof ClusterEvent.LeaderChanged c) {
            submit(() -> onAnswer(Optional.of(c.leader()), c.revision(), at, "watch"));
        } else if (event instanceof ClusterEvent.LeaderDeleted d) {
            submit(() -> onAnswer(Optional.empty(), d.revision(), at, "watch"));
        } else if (event instanceof ClusterEvent.Resynced r) {
            submit(() -> onAnswer(r.snapshot().leaderName(), r.revision(), at, "watch resync"));
        }
    }

    private void submit(Runnable task) {
        try {
            keeper.execute(task);
        } catch (RejectedExecutionException e) {
            // closing: the final release has already been queued
        }
    }

    // ---- keeper thread -------------------------------------------------------------------------

    private void onAnswer(Optional<String> leader, long rev, long askedAt, String source) {
        if (closed) {
            return;
        }
        // A poll that was sent before a watch event but answered after it must not undo that event.
        Optional<String> current = rev >= revision ? leader : view.leader();
        revision = Math.max(revision, rev);
        view = view.answered(current, member, askedAt);
        failsafe = FailsafeVerdict.notAsked();
        polledOnce = true;
        reconcile(source);
    }

    private void onFailure(String error, long at, FailsafeVerdict verdict) {
        if (closed) {
            return;
        }
        view = view.failed(error, at);
        failsafe = verdict;
        polledOnce = true;
        reconcile("poll");
    }

    private void reconcile(String trigger) {
        if (closed || !polledOnce) {
            return;
        }
        Want want = HoldDecision.decide(view, member, config.dcsLossPolicy(), failsafe, clock.nanos());
        Want previous = lastWant;
        lastWant = want;
        boolean bound;
        try {
            bound = binder.isBound();
        } catch (NetException e) {
            networkProblem("cannot read the addresses of " + config.interfaceName() + ": " + e.getMessage());
            return;
        }
        boolean hold = want instanceof Want.Hold;
        boolean release = want instanceof Want.Release;
        if (hold && !bound) {
            if (withRetries("bind", binder::bind)) {
                String again = boundByUs ? " again: it had been removed outside pgha" : "";
                boundByUs = true;
                announce(); // first, so neighbours learn the new MAC before we spend time logging
                LOG.info("bound {}{}, announcing {}× every {} ms ({}): {}", what, again, config.announcements().count(),
                        config.announcements().spacing().toMillis(), trigger, want.reason());
            }
        } else if (release && bound) {
            cancelAnnouncements();
            if (withRetries("release", binder::unbind)) {
                LOG.info("{} {} ({}): {}", boundByUs ? "released" : "removed (it was bound outside pgha)", what, trigger, want.reason());
                boundByUs = false;
            }
        } else if (want.differsFrom(previous)) {
            LOG.info("{} {} ({}): {}", hold ? "keeping" : release ? "not holding" : "waiting before touching", what, trigger,
                    want.reason());
        }
        if (hold == bound) {
            lastNetworkProblem = "";
        }
        holding = isBoundQuietly();
    }

    private boolean isBoundQuietly() {
        try {
            return binder.isBound();
        } catch (NetException e) {
            return false;
        }
    }

    /** Tries {@code action} once and then up to retry-num more times, retry-after apart; logs a final failure once. */
    private boolean withRetries(String action, BooleanSupplier step) {
        NetException last = null;
        for (int attempt = 0; attempt <= config.retry().times(); attempt++) {
            if (attempt > 0) {
                sleep(config.retry().pause().toMillis());
            }
            try {
                step.getAsBoolean();
                return true;
            } catch (NetException e) {
                last = e;
            }
        }
        networkProblem("cannot " + action + " " + what + " after " + (config.retry().times() + 1) + " attempts: "
                + last.getMessage() + "; trying again in " + config.interval().toMillis() + " ms");
        return false;
    }

    private void networkProblem(String message) {
        if (!message.equals(lastNetworkProblem)) {
            LOG.error(message);
            lastNetworkProblem = message;
        }
    }

    /** Round one now, the rest announce-interval apart, each only while we still mean to hold the VIP. */
    private void announce() {
        cancelAnnouncements();
        int count = config.announcements().count();
        long spacing = config.announcements().spacing().toNanos();
        int[] sent = {0};
        Runnable round = () -> {
            if (closed || !(lastWant instanceof Want.Hold)) {
                cancelAnnouncements();
                return;
            }
            sent[0]++;
            try {
                binder.announce();
            } catch (NetException e) {
                LOG.warn("announcement {}/{} of {} failed: {}", sent[0], count, what, e.getMessage());
            }
            if (sent[0] >= count) {
                cancelAnnouncements();
            }
        };
        round.run();
        if (count > 1) {
            announcements = keeper.scheduleAtFixedRate(round, spacing, spacing, TimeUnit.NANOSECONDS);
        }
    }

    private void cancelAnnouncements() {
        if (announcements != null) {
            announcements.cancel(false);
            announcements = null;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- stopping ------------------------------------------------------------------------------

    /** Stops watching and releases the VIP if this node holds it: a stopped manager must not leave it behind. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        poller.shutdownNow();
        awaitQuietly(poller);
        if (watch != null) {
            watch.close();
        }
        Future<?> release = keeper.submit(this::releaseOnStop);
        try {
            release.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.error("could not release {} while stopping: {}", what, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        keeper.shutdownNow();
        awaitQuietly(keeper);
        if (ownsBinder) {
            binder.close();
        }
    }

    private void releaseOnStop() {
        cancelAnnouncements();
        try {
            if (binder.unbind()) {
                LOG.info("released {}: stopping", what);
            } else {
                LOG.info("stopping; {} was not bound here", what);
            }
        } catch (NetException e) {
            LOG.error("could not release {} while stopping: {}", what, e.getMessage());
        }
        holding = false;
    }

    private static void awaitQuietly(ScheduledExecutorService executor) {
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
