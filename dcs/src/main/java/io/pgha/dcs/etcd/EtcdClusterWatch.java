package io.pgha.dcs.etcd;

import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.pgha.dcs.ClusterEvent;
import io.pgha.dcs.ClusterWatch;
import io.pgha.dcs.Consistency;
import io.pgha.dcs.DcsException;
import io.pgha.dcs.model.Cluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A prefix watch that owns its resumption: when the stream breaks (endpoint killed, partitioned
 * member losing its leader, stream completed) it closes jetcd's watcher, moves to the next
 * endpoint and watches again from the last revision it delivered + 1, so no event is lost and none
 * is delivered twice. If etcd compacted that revision away, it reads a fresh snapshot and delivers
 * it as {@link ClusterEvent.Resynced}.
 *
 * <p>All events, and all of this class's state changes, happen on one thread.
 */
final class EtcdClusterWatch implements ClusterWatch {
    private static final Logger LOG = LoggerFactory.getLogger(EtcdClusterWatch.class);
    private static final long MIN_BACKOFF_MS = 50;
    private static final long MAX_BACKOFF_MS = 1000;

    private final EtcdDcs dcs;
    private final Consumer<ClusterEvent> listener;
    private final ScheduledExecutorService thread;
    private volatile long lastRevision;
    private volatile boolean closed;
    private Watch.Watcher watcher;
    private int generation;
    private int endpoint;
    private long backoffMs = MIN_BACKOFF_MS;
    private boolean needsResync;

    private EtcdClusterWatch(EtcdDcs dcs, long afterRevision, Consumer<ClusterEvent> listener) {
        this.dcs = dcs;
        this.listener = listener;
        this.lastRevision = afterRevision;
        this.endpoint = dcs.endpoints().currentIndex();
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pgha-dcs-watch-" + dcs.layout().scope());
            t.setDaemon(true);
            return t;
        });
    }

    static EtcdClusterWatch start(EtcdDcs dcs, long afterRevision, Consumer<ClusterEvent> listener) {
        EtcdClusterWatch watch = new EtcdClusterWatch(dcs, afterRevision, listener);
        watch.thread.execute(watch::open);
        return watch;
    }

    @Override
    public long lastRevision() {
        return lastRevision;
    }

    private void open() {
        if (closed) {
            return;
        }
        if (needsResync && !resync()) {
            return;
        }
        int g = ++generation;
        WatchOption option = WatchOption.builder()
                .isPrefix(true)
                .withRevision(lastRevision + 1)
                .withPrevKV(true)
                // A member cut off from its quorum cancels the watch instead of going silent.
                .withRequireLeader(true)
                .build();
        try {
            watcher = dcs.endpoints().client(endpoint).getWatchClient().watch(Bytes.of(dcs.layout().prefix()), option,
                    Watch.listener(
                            response -> thread.execute(() -> onResponse(g, response)),
                            error -> thread.execute(() -> onBroken(g, error)),
                            () -> thread.execute(() -> onBroken(g, new IllegalStateException("watch stream completed")))));
        } catch (RuntimeException e) {
            onBroken(g, e);
        }
    }

    private boolean resync() {
        try {
            Cluster snapshot = dcs.read(Consistency.LINEARIZABLE);
            needsResync = false;
            lastRevision = snapshot.revision();
            deliver(new ClusterEvent.Resynced(snapshot));
            return true;
        } catch (DcsException e) {
            LOG.warn("watch on {} cannot resync yet: {}", dcs.layout().prefix(), e.getMessage());
            scheduleReopen();
            return false;
        }
    }

    private void onResponse(int g, WatchResponse response) {
        if (g != generation || closed) {
            return;
        }
        backoffMs = MIN_BACKOFF_MS;
        long startedAt = lastRevision;
        long highest = startedAt;
        for (WatchEvent event : response.getEvents()) {
            long revision = event.getKeyValue().getModRevision();
            if (revision <= startedAt) {
                continue; // already delivered before the stream broke
            }
            toClusterEvent(event, revision).ifPresent(this::deliver);
            highest = Math.max(highest, revision);
        }
        lastRevision = highest;
    }

    private Optional<ClusterEvent> toClusterEvent(WatchEvent event, long revision) {
        KeyValue kv = event.getKeyValue();
        boolean deleted = event.getEventType() == WatchEvent.EventType.DELETE;
        KeyValue prev = event.getPrevKV();
        String leaderValue = !deleted ? Bytes.text(kv.getValue())
                : prev == null || prev.getValue().isEmpty() ? "" : Bytes.text(prev.getValue());
        return ClusterEvent.of(dcs.layout(), Bytes.text(kv.getKey()), deleted, leaderValue, revision);
    }

    private void onBroken(int g, Throwable error) {
        if (g != generation || closed) {
            return;
        }
        generation++; // late callbacks of the broken watcher are ignored from now on
        closeWatcher();
        String reason = EtcdErrors.describe(error);
        if (EtcdErrors.unwrap(error) instanceof CompactedException) {
            needsResync = true;
            reason = "revision " + (lastRevision + 1) + " was compacted; resyncing from a snapshot";
        }
        int failed = endpoint;
        endpoint = Math.floorMod(endpoint + 1, dcs.endpoints().size());
        LOG.info("watch on {} broke at revision {} on {} ({}); resuming on {}", dcs.layout().prefix(), lastRevision,
                dcs.endpoints().endpoint(failed), reason, dcs.endpoints().endpoint(endpoint));
        deliver(new ClusterEvent.WatchInterrupted(reason, lastRevision));
        scheduleReopen();
    }

    private void scheduleReopen() {
        long delay = backoffMs;
        backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        if (!closed) {
            thread.schedule(this::open, delay, TimeUnit.MILLISECONDS);
        }
    }

    private void deliver(ClusterEvent event) {
        try {
            listener.accept(event);
        } catch (RuntimeException e) {
            LOG.error("watch listener failed on {}; continuing", event, e);
        }
    }

    private void closeWatcher() {
        if (watcher != null) {
            try {
                watcher.close();
            } catch (RuntimeException e) {
                LOG.debug("closing broken watcher", e);
            }
            watcher = null;
        }
    }

    @Override
    public void close() {
        if (thread.isShutdown()) {
            return; // closed before: its owner and a shutdown path may both close it
        }
        closed = true;
        thread.execute(this::closeWatcher);
        thread.shutdown();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
