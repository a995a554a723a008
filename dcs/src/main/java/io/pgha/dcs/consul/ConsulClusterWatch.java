package io.pgha.dcs.consul;

import io.pgha.dcs.ClusterEvent;
import io.pgha.dcs.ClusterWatch;
import io.pgha.dcs.Consistency;
import io.pgha.dcs.DcsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The cluster prefix watched through blocking queries
 * (https://developer.hashicorp.com/consul/api-docs/features/blocking): each answer is the whole
 * prefix at a new {@code X-Consul-Index}, and the events are what changed against the last answer
 * delivered — a key whose {@code ModifyIndex} moved changed at that index, a key that is gone was
 * deleted at the answer's index. Consul keeps no history, so changes between two answers are seen
 * as their net result: the final state of every key is always delivered (nothing is lost), and a
 * change is never delivered twice because the baseline only moves with delivery. A broken query is
 * resumed from the same index and baseline; an index that goes backwards (a restored or new
 * server), or a start revision this client never read, is answered with {@link ClusterEvent.Resynced}.
 *
 * <p>All events are delivered on the watch's one thread.
 */
final class ConsulClusterWatch implements ClusterWatch {
    private static final Logger LOG = LoggerFactory.getLogger(ConsulClusterWatch.class);
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final long MAX_BACKOFF_MS = 1000;

    private final ConsulDcs dcs;
    private final Consumer<ClusterEvent> listener;
    private final Thread thread;
    private volatile boolean closed;
    private volatile long lastRevision;
    private Map<String, KvEntry> baseline;

    private ConsulClusterWatch(ConsulDcs dcs, long afterRevision, Consumer<ClusterEvent> listener) {
        this.dcs = dcs;
        this.listener = listener;
        this.lastRevision = afterRevision;
        this.thread = new Thread(this::run, "pgha-dcs-watch-" + dcs.layout().scope());
        thread.setDaemon(true);
    }

    static ConsulClusterWatch start(ConsulDcs dcs, long afterRevision, Consumer<ClusterEvent> listener) {
        ConsulClusterWatch watch = new ConsulClusterWatch(dcs, afterRevision, listener);
        watch.baseline = dcs.readAt(afterRevision).map(ConsulClusterWatch::byKey).orElse(null);
        watch.thread.start();
        return watch;
    }

    @Override
    public long lastRevision() {
        return lastRevision;
    }

    private static Map<String, KvEntry> byKey(List<KvEntry> entries) {
        Map<String, KvEntry> out = new HashMap<>();
        entries.forEach(e -> out.put(e.key(), e));
        return out;
    }

    private void run() {
        long backoffMs = 50;
        while (!closed) {
            try {
                if (baseline == null) {
                    resync();
                }
                ConsulDcs.Snapshot s = dcs.readPrefix(Consistency.SERIALIZABLE,
                        Map.of("index", String.valueOf(lastRevision), "wait", WAIT.toSeconds() + "s"),
                        // Consul adds up to wait/16 to spread wake-ups; then the usual deadline.
                        WAIT.plus(WAIT.dividedBy(16)).plus(dcs.http().settings().retryTimeout()));
                backoffMs = 50;
                if (closed) {
                    return;
                }
                if (s.index() < lastRevision) {
                    LOG.info("watch on {}: Consul's index went back from {} to {}; resyncing from a snapshot",
                            dcs.layout().prefix(), lastRevision, s.index());
                    baseline = null;
                    continue;
                }
                if (s.index() > lastRevision) {
                    deliverChanges(s);
                }
            } catch (DcsException e) {
                if (closed) {
                    return;
                }
                LOG.info("watch on {} broke at index {} ({}); resuming from the same index", dcs.layout().prefix(), lastRevision,
                        e.getMessage());
                deliver(new ClusterEvent.WatchInterrupted(e.getMessage(), lastRevision));
                sleep(backoffMs);
                backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
            }
        }
    }

    private void resync() {
        ConsulDcs.Snapshot s = dcs.readPrefix(Consistency.LINEARIZABLE, Map.of(), dcs.http().settings().retryTimeout());
        baseline = byKey(s.entries());
        if (s.index() == lastRevision) {
            return; // nothing happened since the start revision: the read is the baseline itself
        }
        lastRevision = s.index();
        deliver(new ClusterEvent.Resynced(dcs.toCluster(s)));
    }

    private void deliverChanges(ConsulDcs.Snapshot s) {
        Map<String, KvEntry> next = byKey(s.entries());
        List<ClusterEvent> events = new ArrayList<>();
        for (KvEntry e : next.values()) {
            KvEntry before = baseline.get(e.key());
            if (before == null || before.modifyIndex() != e.modifyIndex()) {
                event(e.key(), e.value(), false, e.modifyIndex(), before).ifPresent(events::add);
            }
        }
        for (KvEntry before : baseline.values()) {
            if (!next.containsKey(before.key())) {
                event(before.key(), "", true, s.index(), before).ifPresent(events::add);
            }
        }
        events.sort(Comparator.comparingLong(ClusterEvent::revision));
        baseline = next;
        lastRevision = s.index();
        events.forEach(this::deliver);
    }

    private Optional<ClusterEvent> event(String key, String value, boolean deleted, long revision, KvEntry before) {
        String leaderValue = deleted ? (before == null ? "" : before.value()) : value;
        return ClusterEvent.of(dcs.layout(), key, deleted, leaderValue, revision);
    }

    private void deliver(ClusterEvent event) {
        try {
            listener.accept(event);
        } catch (RuntimeException e) {
            LOG.error("watch listener failed on {}; continuing", event, e);
        }
    }

    private static void sleep(long ms) {
        try {
            TimeUnit.MILLISECONDS.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
