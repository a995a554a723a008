package io.pgha.dcs.consul;

import io.pgha.dcs.CasResult;
import io.pgha.dcs.ClusterEvent;
import io.pgha.dcs.ClusterWatch;
import io.pgha.dcs.Consistency;
import io.pgha.dcs.Dcs;
import io.pgha.dcs.DcsRejectedException;
import io.pgha.dcs.Expect;
import io.pgha.dcs.MemberSession;
import io.pgha.dcs.MonotonicClock;
import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.ClusterKey;
import io.pgha.dcs.model.KeyLayout;
import io.vertx.core.http.HttpMethod;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The DCS contract on Consul's KV store with Patroni's consul key semantics: the same
 * {@code <namespace>/<scope>/} layout (without the leading slash Consul keys lack), member and
 * leader keys held by the node's session, CAS on {@code ModifyIndex} for the permanent keys.
 */
public final class ConsulDcs implements Dcs {
    private final KeyLayout layout;
    private final ConsulHttp http;
    private final MonotonicClock clock;
    /** The last snapshots read, by index: a watch from one of them diffs from it instead of resyncing. */
    private final Map<Long, List<KvEntry>> recentReads = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, List<KvEntry>> eldest) {
            return size() > 8;
        }
    };

    public ConsulDcs(KeyLayout layout, ConsulSettings settings) {
        this(layout, settings, MonotonicClock.SYSTEM);
    }

    public ConsulDcs(KeyLayout layout, ConsulSettings settings, MonotonicClock clock) {
        this.layout = layout;
        this.clock = clock;
        this.http = new ConsulHttp(settings);
    }

    @Override
    public KeyLayout layout() {
        return layout;
    }

    ConsulHttp http() {
        return http;
    }

    /**
     * What a read of the whole prefix answers: its entries and the prefix's {@code X-Consul-Index}.
     * {@code consistent} for what safety needs (leader races, the CLI); the configured mode otherwise
     * (https://developer.hashicorp.com/consul/api-docs/features/consistency).
     */
    record Snapshot(List<KvEntry> entries, long index) {
    }

    Snapshot readPrefix(Consistency consistency, Map<String, String> extra, Duration timeout) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("recurse", "");
        String mode = consistency == Consistency.LINEARIZABLE ? "consistent" : http.settings().consistency();
        if (!mode.equals("default")) {
            query.put(mode, "");
        }
        query.putAll(extra);
        ConsulHttp.Answer a = http.call("read " + layout.prefix(), HttpMethod.GET, "/v1/kv/" + KvEntry.path(layout.prefix()), query,
                null, timeout);
        if (a.status() != 200 && a.status() != 404) {
            throw new DcsRejectedException("read " + layout.prefix() + ": Consul answered " + a.status() + " " + a.text(), null);
        }
        List<KvEntry> entries = a.status() == 404 ? List.of() : KvEntry.list(a.body());
        Snapshot s = new Snapshot(entries, a.index().orElse(0));
        synchronized (recentReads) {
            recentReads.put(s.index(), s.entries());
        }
        return s;
    }

    Optional<List<KvEntry>> readAt(long index) {
        synchronized (recentReads) {
            return Optional.ofNullable(recentReads.get(index));
        }
    }

    Cluster toCluster(Snapshot s) {
        return Cluster.fromEntries(layout, s.entries().stream().map(KvEntry::raw).toList(), s.index());
    }

    @Override
    public Cluster read(Consistency consistency) {
        return toCluster(readPrefix(consistency, Map.of(), http.settings().retryTimeout()));
    }

    /** One key, read consistently; empty when it does not exist. */
    Optional<KvEntry> readKey(String fullKey) {
        ConsulHttp.Answer a = http.call("read " + fullKey, HttpMethod.GET, "/v1/kv/" + KvEntry.path(fullKey), Map.of("consistent", ""), null);
        if (a.status() == 404) {
            return Optional.empty();
        }
        if (!a.ok()) {
            throw new DcsRejectedException("read " + fullKey + ": Consul answered " + a.status() + " " + a.text(), null);
        }
        return KvEntry.list(a.body()).stream().findFirst();
    }

    /** The index of a key's last write or delete (a deleted key answers 404 with its tombstone's index). */
    private long indexOf(String fullKey) {
        return http.call("read index of " + fullKey, HttpMethod.GET, "/v1/kv/" + KvEntry.path(fullKey), Map.of("consistent", ""), null)
                .index().orElse(0);
    }

    @Override
    public CasResult write(ClusterKey key, String value, Expect expect) {
        String k = layout.key(key);
        Txn txn = new Txn();
        if (expect instanceof Expect.Anything) {
            txn.op("set", k, value, 0, null);
        } else if (expect instanceof Expect.Absent) {
            txn.op("cas", k, value, 0, null); // index 0: create only
        } else {
            txn.op("cas", k, value, ((Expect.AtVersion) expect).version(), null);
        }
        Txn.Outcome o = txn.run(http, "write " + key.path());
        if (o.applied()) {
            return new CasResult.Written(o.modifyIndex(0));
        }
        return new CasResult.Conflict(readKey(k).map(KvEntry::modifyIndex).orElse(0L));
    }

    @Override
    public CasResult delete(ClusterKey key, Expect expect) {
        String k = layout.key(key);
        if (expect instanceof Expect.Absent) {
            throw new IllegalArgumentException("delete with Expect.absent() makes no sense");
        }
        Txn txn = new Txn();
        if (expect instanceof Expect.AtVersion at) {
            txn.op("delete-cas", k, null, at.version(), null);
        } else {
            txn.op("delete", k);
        }
        Txn.Outcome o = txn.run(http, "delete " + key.path());
        if (o.applied()) {
            return new CasResult.Written(indexOf(k));
        }
        return new CasResult.Conflict(readKey(k).map(KvEntry::modifyIndex).orElse(0L));
    }

    @Override
    public boolean deleteMember(String member) {
        // get fails the transaction when the key is missing, so "applied" means it was there.
        return new Txn().op("get", layout.member(member)).op("delete", layout.member(member))
                .run(http, "delete member " + member).applied();
    }

    @Override
    public ClusterWatch watch(long afterRevision, Consumer<ClusterEvent> listener) {
        return ConsulClusterWatch.start(this, afterRevision, listener);
    }

    @Override
    public MemberSession openSession(String member, long ttlSeconds) {
        return ConsulMemberSession.open(this, member, ttlSeconds, clock);
    }

    @Override
    public void wipe() {
        http.call("wipe " + layout.prefix(), HttpMethod.DELETE, "/v1/kv/" + KvEntry.path(layout.prefix()), Map.of("recurse", ""), null);
    }

    @Override
    public void close() {
        http.close();
    }
}
