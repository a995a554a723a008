package io.pgha.sim;

import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.KeyLayout;
import io.pgha.dcs.model.RawEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The DCS as etcd behaves for pgha: keys with a modification revision, leases with a TTL that
 * expire on the DCS's own clock and take their keys with them, create-if-absent and
 * compare-and-delete, and a watch on the leader key. Reachability is the caller's business
 * ({@link Network}); this is the server's state.
 */
final class SimDcs {
    static final KeyLayout KEYS = new KeyLayout("/service", "sim");

    private record Entry(String value, long version, long lease) {
    }

    private final Map<String, Entry> keys = new TreeMap<>();
    private final Map<Long, Long> leaseExpiry = new TreeMap<>();
    /** Each lease's own TTL: a member moved to a lease of a changed ttl keeps it on every keepalive. */
    private final Map<Long, Long> leaseTtl = new TreeMap<>();
    private final long ttlNanos;
    private final Consumer<String> leaderChanged;
    private long revision = 1;
    private long nextLease = 1000;
    private Cluster cached;

    SimDcs(long ttlNanos, Consumer<String> leaderChanged) {
        this.ttlNanos = ttlNanos;
        this.leaderChanged = leaderChanged;
    }

    /** Expires every lease due at {@code now}, deleting the keys bound to it. */
    void expire(long now) {
        List<Long> due = new ArrayList<>();
        leaseExpiry.forEach((id, at) -> {
            if (at <= now) {
                due.add(id);
            }
        });
        for (long id : due) {
            leaseExpiry.remove(id);
            List<String> bound = keys.entrySet().stream().filter(e -> e.getValue().lease() == id).map(Map.Entry::getKey).toList();
            bound.forEach(this::remove);
        }
    }

    long grant(long now) {
        return grant(now, ttlNanos);
    }

    long grant(long now, long ttl) {
        long id = nextLease++;
        leaseExpiry.put(id, now + ttl);
        leaseTtl.put(id, ttl);
        return id;
    }

    /**
     * MemberSession.relet's one transaction: the leader key moves to {@code to} if it names
     * {@code member} under {@code from}, and the member key with it. True when the leader key moved.
     */
    boolean moveKeys(long from, long to, String member, long now) {
        expire(now);
        if (!leaseExpiry.containsKey(to)) {
            return false;
        }
        Entry leader = keys.get(KEYS.leader());
        boolean moves = leader != null && leader.value().equals(member) && leader.lease() == from;
        if (moves) {
            put(KEYS.leader(), member, to);
        }
        Entry own = keys.get(KEYS.member(member));
        if (own != null && own.lease() == from) {
            put(KEYS.member(member), own.value(), to);
        }
        return moves;
    }

    /** Revokes a lease: whatever is still bound to it goes at once. */
    void revoke(long id, long now) {
        leaseExpiry.put(id, now);
        expire(now);
    }

    /** Keepalive: false when the lease is gone (expired or never granted). */
    boolean keepAlive(long id, long now) {
        expire(now);
        if (!leaseExpiry.containsKey(id)) {
            return false;
        }
        leaseExpiry.put(id, now + leaseTtl.getOrDefault(id, ttlNanos));
        return true;
    }

    boolean leaseAlive(long id, long now) {
        expire(now);
        return leaseExpiry.containsKey(id);
    }

    long leaseExpiresAt(long id) {
        return leaseExpiry.getOrDefault(id, Long.MIN_VALUE);
    }

    /** etcd's txn: put only if the key has never been created; a lease that is gone fails the put. */
    boolean createIfAbsent(String key, String value, long lease, long now) {
        expire(now);
        if (keys.containsKey(key) || (lease != 0 && !leaseExpiry.containsKey(lease))) {
            return false;
        }
        put(key, value, lease);
        return true;
    }

    /** Unconditional put; false (nothing written) when bound to a lease that is gone. */
    boolean put(String key, String value, long lease, long now) {
        expire(now);
        if (lease != 0 && !leaseExpiry.containsKey(lease)) {
            return false;
        }
        Entry old = keys.get(key);
        if (old != null && old.value().equals(value) && old.lease() == lease) {
            return true; // the daemon skips publishing what did not change
        }
        put(key, value, lease);
        return true;
    }

    /** MemberSession.takeOverLeader: rebinds the key to {@code lease} while it still holds {@code value} at {@code version}. */
    boolean takeOver(String key, String value, long version, long lease, long now) {
        expire(now);
        Entry e = keys.get(key);
        if (e == null || !e.value().equals(value) || e.version() != version || !leaseExpiry.containsKey(lease)) {
            return false;
        }
        put(key, value, lease);
        return true;
    }

    /**
     * Dcs.write/delete with Expect: writes {@code value} ({@code null}: deletes) only while the key is
     * at {@code version} ({@code 0}: absent), as the leader's sync key writes are.
     */
    boolean compareAndSet(String key, long version, String value, long now) {
        expire(now);
        Entry e = keys.get(key);
        if (e == null ? version != 0 : e.version() != version) {
            return false;
        }
        if (value == null) {
            if (e != null) {
                remove(key);
            }
        } else {
            put(key, value, 0);
        }
        return true;
    }

    /** Deletes the key only while it holds {@code value} (releaseLeader's compare). */
    boolean deleteIfValue(String key, String value, long now) {
        expire(now);
        Entry e = keys.get(key);
        if (e == null || !e.value().equals(value)) {
            return false;
        }
        remove(key);
        return true;
    }

    Optional<String> value(String key) {
        return Optional.ofNullable(keys.get(key)).map(Entry::value);
    }

    /** Who holds the leader key right now, and under which lease (0 when none). */
    Optional<String> leaderName(long now) {
        expire(now);
        return value(KEYS.leader());
    }

    /**
     * The lease the leader key is bound to, if that key exists and its lease is alive at {@code now};
     * 0 otherwise. Unlike {@link #leaderLease} it expires nothing, so a checker may call it after
     * every event without changing when watchers hear of an expiry.
     */
    long liveLeaderLeaseWithoutExpiring(long now) {
        Entry e = keys.get(KEYS.leader());
        return e == null || e.lease() == 0 || leaseExpiry.getOrDefault(e.lease(), Long.MIN_VALUE) <= now ? 0 : e.lease();
    }

    long leaderLease(long now) {
        expire(now);
        return Optional.ofNullable(keys.get(KEYS.leader())).map(Entry::lease).orElse(0L);
    }

    /** A linearizable read: the snapshot the daemon builds from a prefix get. */
    Cluster read(long now) {
        expire(now);
        if (cached == null || cached.revision() != revision) {
            List<RawEntry> entries = new ArrayList<>();
            keys.forEach((k, e) -> entries.add(new RawEntry(k, e.value(), e.version(), e.lease())));
            cached = Cluster.fromEntries(KEYS, entries, revision);
        }
        return cached;
    }

    private void put(String key, String value, long lease) {
        revision++;
        keys.put(key, new Entry(value, revision, lease));
        if (key.equals(KEYS.leader())) {
            leaderChanged.accept(value);
        }
    }

    private void remove(String key) {
        revision++;
        keys.remove(key);
        if (key.equals(KEYS.leader())) {
            leaderChanged.accept("");
        }
    }
}
