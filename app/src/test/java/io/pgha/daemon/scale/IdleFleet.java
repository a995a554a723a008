package io.pgha.daemon.scale;

import io.pgha.config.Etcd3Config;
import io.pgha.dcs.Dcs;
import io.pgha.dcs.DcsException;
import io.pgha.dcs.DcsUnavailableException;
import io.pgha.dcs.Expect;
import io.pgha.dcs.model.ClusterKey;
import io.pgha.dcs.model.KeyLayout;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Idle clusters of three members each, all in this JVM, on pgha's own DCS layer: every member has
 * its own {@link Dcs} (a daemon is a process with its own connections), lease, member key and
 * watch, and runs its cycle every loop_wait. A probe writer changes one cluster's {@code status}
 * key ten times a second, round robin, so that watch delivery delay can be measured; those writes
 * are the only Puts an idle pgha fleet makes.
 */
final class IdleFleet implements AutoCloseable {
    static final int PROBES_PER_SECOND = 10;

    private final List<URI> endpoints;
    private final long ttlSeconds;
    private final Duration loopWait;
    private final Duration retryTimeout;
    private final String runTag;
    private final ScheduledExecutorService cycles;
    private final ExecutorService opening = Executors.newFixedThreadPool(8, daemon("fleet-open"));
    private final List<List<FleetMember>> clusters = new ArrayList<>();
    private final List<Dcs> connections = new ArrayList<>();
    private final List<ScheduledFuture<?>> schedules = new ArrayList<>();
    private final ProbeClock probes = new ProbeClock();
    private final AtomicLong probeWrites = new AtomicLong();
    private final AtomicLong openRetries = new AtomicLong();
    private volatile FleetStats stats = new FleetStats();
    private Thread probeWriter;

    IdleFleet(List<URI> endpoints, long ttlSeconds, Duration loopWait, Duration retryTimeout, int cycleThreads) {
        this.endpoints = endpoints;
        this.ttlSeconds = ttlSeconds;
        this.loopWait = loopWait;
        this.retryTimeout = retryTimeout;
        this.runTag = Long.toString(System.nanoTime() % 100_000, 36);
        this.cycles = Executors.newScheduledThreadPool(cycleThreads, daemon("fleet-cycle"));
    }

    int size() {
        return clusters.size();
    }

    /** Adds clusters until there are {@code count}; each member's first cycle falls at a random point of one loop_wait. */
    synchronized void growTo(int count) throws Exception {
        List<Future<List<FleetMember>>> opened = new ArrayList<>();
        for (int i = clusters.size(); i < count; i++) {
            String scope = String.format(Locale.ROOT, "fleet-%s-%04d", runTag, i);
            opened.add(opening.submit(() -> openCluster(scope)));
        }
        for (Future<List<FleetMember>> f : opened) {
            List<FleetMember> members = f.get(5, TimeUnit.MINUTES);
            clusters.add(members);
            for (FleetMember m : members) {
                long offset = ThreadLocalRandom.current().nextLong(loopWait.toNanos());
                schedules.add(cycles.scheduleWithFixedDelay(m::cycle, offset, loopWait.toNanos(), TimeUnit.NANOSECONDS));
            }
        }
        if (probeWriter == null) {
            probeWriter = new Thread(this::writeProbes, "fleet-probe-writer");
            probeWriter.setDaemon(true);
            probeWriter.start();
        }
    }

    private List<FleetMember> openCluster(String scope) throws InterruptedException {
        KeyLayout layout = new KeyLayout(KeyLayout.DEFAULT_NAMESPACE, scope);
        List<FleetMember> members = new ArrayList<>();
        for (int m = 1; m <= 3; m++) {
            Dcs dcs = Dcs.open(layout, Etcd3Config.plain(endpoints), retryTimeout);
            synchronized (connections) {
                connections.add(dcs);
            }
            members.add(openMember("m" + m, dcs));
        }
        return members;
    }

    /** A daemon waits for the DCS before starting (one attempt per loop_wait); so does a fleet member. */
    private FleetMember openMember(String name, Dcs dcs) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return new FleetMember(name, dcs, ttlSeconds, loopWait, retryTimeout, () -> stats, probes);
            } catch (DcsUnavailableException e) {
                openRetries.incrementAndGet();
                if (attempt == 10) {
                    throw e;
                }
                Thread.sleep(loopWait.toMillis()); // the daemon's own pace between start attempts
            }
        }
    }

    /** Member starts that had to wait for etcd, since the fleet was created. */
    long openRetries() {
        return openRetries.get();
    }

    private void writeProbes() {
        AtomicInteger next = new AtomicInteger();
        long period = 1_000_000_000L / PROBES_PER_SECOND;
        long due = System.nanoTime();
        while (!Thread.currentThread().isInterrupted()) {
            List<FleetMember> cluster;
            synchronized (this) {
                cluster = clusters.get(next.getAndIncrement() % clusters.size());
            }
            FleetMember first = cluster.get(0);
            long sent = System.nanoTime();
            probes.sent(first.layout().scope(), sent);
            try {
                first.dcs().write(ClusterKey.STATUS, "{\"optime\":" + sent + "}", Expect.anything());
                probeWrites.incrementAndGet();
            } catch (DcsException e) {
                stats.cycleFailed(e);
            }
            due += period;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait); // the writer's own pace, not a synchronization
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Starts a new measuring window and returns the stats of the one that ended. */
    FleetStats nextWindow() {
        FleetStats ended = stats;
        stats = new FleetStats();
        return ended;
    }

    long probeWrites() {
        return probeWrites.get();
    }

    @Override
    public synchronized void close() {
        if (probeWriter != null) {
            probeWriter.interrupt();
        }
        schedules.forEach(s -> s.cancel(false));
        cycles.shutdown();
        try {
            cycles.awaitTermination(30, TimeUnit.SECONDS);
            List<Future<?>> closing = new ArrayList<>();
            for (List<FleetMember> c : clusters) {
                for (FleetMember m : c) {
                    closing.add(opening.submit(m::close));
                }
            }
            for (Future<?> f : closing) {
                try {
                    f.get(1, TimeUnit.MINUTES);
                } catch (Exception e) {
                    // a lease not revoked expires by its ttl: nothing the benchmark reports depends on it
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            synchronized (connections) {
                connections.forEach(Dcs::close);
            }
            opening.shutdownNow();
        }
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
