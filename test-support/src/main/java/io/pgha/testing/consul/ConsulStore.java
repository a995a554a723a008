package io.pgha.testing.consul;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * The state of the Consul test double: one datacenter's KV store, its sessions and the local
 * agent's services and checks, all under one raft-like index. Behaviour follows Consul's documents:
 * <ul>
 * <li>KV: https://developer.hashicorp.com/consul/api-docs/kv — {@code ModifyIndex} is the index of
 * the last write, {@code LockIndex} counts successful acquisitions, {@code ?cas=0} creates only,
 * {@code ?acquire} fails while another session holds the lock (a {@code cas} beside it is ignored,
 * as Consul's kvs endpoint lets {@code acquire} decide the operation), a plain PUT keeps the lock,
 * and a recursive read's {@code X-Consul-Index} is the highest index within the prefix, deletes
 * (tombstones) included.</li>
 * <li>Transactions: https://developer.hashicorp.com/consul/api-docs/txn — all operations apply
 * at one index or none does; write results carry the entry without its value.</li>
 * <li>Sessions: https://developer.hashicorp.com/consul/api-docs/session and
 * https://developer.hashicorp.com/consul/docs/automate/session — TTL between 10s and 86400s, the
 * TTL is a lower bound (Consul may reap up to twice as late), invalidation on TTL, destroy, a
 * deregistered check or a critical one; {@code Behavior: delete} deletes the keys it holds,
 * {@code release} unlocks them; lock-delay blocks re-acquiring an invalidated session's keys.</li>
 * </ul>
 * Methods are synchronized: HTTP handlers and the reaper run on different threads.
 */
final class ConsulStore {
    static final Duration MIN_TTL = Duration.ofSeconds(10);
    static final Duration MAX_TTL = Duration.ofSeconds(86400);
    static final String NODE = "consul-double";
    static final String SERF_HEALTH = "serfHealth";

    record Entry(String key, byte[] value, long flags, long createIndex, long modifyIndex, long lockIndex, String session) {
        JsonObject json(boolean withValue) {
            JsonObject o = new JsonObject().put("LockIndex", lockIndex).put("Key", key).put("Flags", flags)
                    .put("Value", withValue && value != null ? Base64.getEncoder().encodeToString(value) : null)
                    .put("CreateIndex", createIndex).put("ModifyIndex", modifyIndex);
            if (session != null) {
                o.put("Session", session);
            }
            return o;
        }

        Entry with(byte[] newValue, long index, long newLockIndex, String newSession) {
            return new Entry(key, newValue, flags, createIndex, index, newLockIndex, newSession);
        }
    }

    record Session(String id, String name, Duration ttl, String behavior, Duration lockDelay, List<String> checks,
                   long createIndex, long modifyIndex, long renewedNanos) {
        JsonObject json() {
            return new JsonObject().put("ID", id).put("Name", name).put("Node", NODE)
                    .put("LockDelay", lockDelay.toNanos()).put("Behavior", behavior)
                    .put("TTL", ttl.isZero() ? "" : ttl.toSeconds() + "s")
                    .put("NodeChecks", new JsonArray(new ArrayList<>(checks))).put("ServiceChecks", null)
                    .put("CreateIndex", createIndex).put("ModifyIndex", modifyIndex);
        }
    }

    record Check(String id, String name, String status, String serviceId, String serviceName) {
        JsonObject json() {
            return new JsonObject().put("Node", NODE).put("CheckID", id).put("Name", name).put("Status", status)
                    .put("ServiceID", serviceId).put("ServiceName", serviceName);
        }
    }

    /** A request Consul refuses; {@code status} is the HTTP code it answers with. */
    static final class Refused extends RuntimeException {
        final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private final LongSupplier clock;
    private final double reapFactor;
    private long index = 1;
    private NavigableMap<String, Entry> kv = new TreeMap<>();
    private NavigableMap<String, Long> tombstones = new TreeMap<>();
    private final Map<String, Long> lockDelayUntil = new HashMap<>();
    private final Map<String, Session> sessions = new LinkedHashMap<>();
    private final Map<String, JsonObject> services = new LinkedHashMap<>();
    private final Map<String, Check> checks = new LinkedHashMap<>();
    private final List<Runnable> changeListeners = new ArrayList<>();

    ConsulStore(LongSupplier clock, double reapFactor) {
        this.clock = clock;
        this.reapFactor = reapFactor;
        checks.put(SERF_HEALTH, new Check(SERF_HEALTH, "Serf Health Status", "passing", "", ""));
    }

    synchronized void onChange(Runnable listener) {
        changeListeners.add(listener);
    }

    private void changed() {
        changeListeners.forEach(Runnable::run);
    }

    synchronized long index() {
        return index;
    }

    // ---- KV reads

    synchronized List<Entry> read(String key, boolean recurse) {
        if (!recurse) {
            Entry e = kv.get(key);
            return e == null ? List.of() : List.of(e);
        }
        return new ArrayList<>(kv.subMap(key, true, key + Character.MAX_VALUE, false).values());
    }

    /** The index a blocking query on {@code key} waits on: the newest write or delete within it. */
    synchronized long indexOf(String key, boolean recurse) {
        long max = 0;
        if (recurse) {
            for (Entry e : kv.subMap(key, true, key + Character.MAX_VALUE, false).values()) {
                max = Math.max(max, e.modifyIndex());
            }
            for (long t : tombstones.subMap(key, true, key + Character.MAX_VALUE, false).values()) {
                max = Math.max(max, t);
            }
        } else {
            Entry e = kv.get(key);
            max = e != null ? e.modifyIndex() : tombstones.getOrDefault(key, 0L);
        }
        // Nothing ever lived there: Consul answers with the KV table's index.
        return max == 0 ? index : max;
    }

    // ---- KV writes (each one raft index); the txn endpoint groups them

    synchronized boolean put(String key, byte[] value, Optional<Long> cas, Optional<String> acquire, Optional<String> release) {
        return atomically(() -> applyPut(key, value, cas, acquire, release));
    }

    synchronized boolean delete(String key, boolean recurse, Optional<Long> cas) {
        return atomically(() -> {
            if (recurse) {
                List<String> keys = new ArrayList<>(kv.subMap(key, true, key + Character.MAX_VALUE, false).keySet());
                keys.forEach(this::remove);
                return true;
            }
            Entry e = kv.get(key);
            if (cas.isPresent() && (e == null ? cas.get() != 0 : e.modifyIndex() != cas.get())) {
                return false;
            }
            if (e != null) {
                remove(key);
            }
            return true;
        });
    }

    private interface Op {
        boolean apply();
    }

    /** Runs {@code op} at the next index; a false or refused outcome leaves the store as it was. */
    private boolean atomically(Op op) {
        NavigableMap<String, Entry> kvBefore = new TreeMap<>(kv);
        NavigableMap<String, Long> tombstonesBefore = new TreeMap<>(tombstones);
        index++;
        boolean ok;
        try {
            ok = op.apply();
        } catch (RuntimeException e) {
            restore(kvBefore, tombstonesBefore);
            throw e;
        }
        if (!ok) {
            restore(kvBefore, tombstonesBefore);
            return false;
        }
        changed();
        return true;
    }

    private void restore(NavigableMap<String, Entry> kvBefore, NavigableMap<String, Long> tombstonesBefore) {
        kv = kvBefore;
        tombstones = tombstonesBefore;
        index--;
    }

    private boolean applyPut(String key, byte[] value, Optional<Long> cas, Optional<String> acquire, Optional<String> release) {
        Entry e = kv.get(key);
        if (acquire.isPresent()) {
            return lock(key, value, acquire.get(), e);
        }
        if (release.isPresent()) {
            if (e == null || !release.get().equals(e.session())) {
                return false;
            }
            kv.put(key, e.with(value, index, e.lockIndex(), null));
            return true;
        }
        if (cas.isPresent() && (e == null ? cas.get() != 0 : e.modifyIndex() != cas.get())) {
            return false;
        }
        set(key, value, e);
        return true;
    }

    private void set(String key, byte[] value, Entry e) {
        kv.put(key, e == null ? new Entry(key, value, 0, index, index, 0, null) : e.with(value, index, e.lockIndex(), e.session()));
        tombstones.remove(key);
    }

    private boolean lock(String key, byte[] value, String session, Entry e) {
        if (!sessions.containsKey(session)) {
            throw new Refused(500, "invalid session \"" + session + "\"");
        }
        if (e != null && e.session() != null && !e.session().equals(session)) {
            return false;
        }
        if ((e == null || e.session() == null) && lockDelayUntil.containsKey(key) && lockDelayUntil.get(key) - clock.getAsLong() > 0) {
            return false; // an invalidated session's lock-delay still runs
        }
        if (e != null && session.equals(e.session())) {
            kv.put(key, e.with(value, index, e.lockIndex(), session));
        } else if (e != null) {
            kv.put(key, e.with(value, index, e.lockIndex() + 1, session));
        } else {
            kv.put(key, new Entry(key, value, 0, index, index, 1, session));
            tombstones.remove(key);
        }
        return true;
    }

    private void remove(String key) {
        kv.remove(key);
        tombstones.put(key, index);
    }

    /**
     * {@code /v1/txn}: every operation at one index, or none. Answers the results, or throws
     * {@link TxnFailed} with the failing operation's position and Consul's reason.
     */
    synchronized JsonArray txn(JsonArray ops) {
        JsonArray results = new JsonArray();
        int[] at = {0};
        try {
            boolean ok = atomically(() -> {
                for (; at[0] < ops.size(); at[0]++) {
                    JsonObject op = ops.getJsonObject(at[0]).getJsonObject("KV");
                    if (op == null) {
                        throw new TxnFailed(at[0], "unknown operation: only KV operations are modelled");
                    }
                    txnOp(op, results, at[0]);
                }
                return true;
            });
            return ok ? results : null;
        } catch (Refused e) {
            throw new TxnFailed(at[0], e.getMessage());
        }
    }

    static final class TxnFailed extends RuntimeException {
        final int opIndex;

        TxnFailed(int opIndex, String what) {
            super(what);
            this.opIndex = opIndex;
        }
    }

    private void txnOp(JsonObject op, JsonArray results, int position) {
        String verb = op.getString("Verb", "");
        String key = op.getString("Key", "");
        byte[] value = op.getString("Value") == null ? null : Base64.getDecoder().decode(op.getString("Value"));
        long idx = op.getLong("Index", 0L);
        String session = op.getString("Session");
        Entry e = kv.get(key);
        switch (verb) {
            case "set" -> set(key, value, e);
            case "cas" -> {
                if (e == null ? idx != 0 : e.modifyIndex() != idx) {
                    throw new TxnFailed(position, "failed to set key \"" + key + "\", index is stale");
                }
                set(key, value, e);
            }
            case "lock" -> {
                if (!lock(key, value, session, e)) {
                    throw new TxnFailed(position, "failed to lock key \"" + key + "\", lock is already held");
                }
            }
            case "unlock" -> {
                if (e == null || !session.equals(e.session())) {
                    throw new TxnFailed(position, "failed to unlock key \"" + key + "\", lock isn't held, or is held by another session");
                }
                kv.put(key, e.with(value, index, e.lockIndex(), null));
            }
            case "get", "check-index", "check-session", "check-not-exists" -> {
                checkTxn(verb, key, e, idx, session, position);
                if (!verb.equals("check-not-exists")) {
                    results.add(new JsonObject().put("KV", e.json(verb.equals("get"))));
                }
                return;
            }
            case "delete" -> {
                if (e != null) {
                    remove(key);
                }
                return;
            }
            case "delete-cas" -> {
                if (e == null || e.modifyIndex() != idx) {
                    throw new TxnFailed(position, "failed to delete key \"" + key + "\", index is stale");
                }
                remove(key);
                return;
            }
            default -> throw new TxnFailed(position, "unknown KV verb \"" + verb + "\"");
        }
        results.add(new JsonObject().put("KV", kv.get(key).json(false)));
    }

    private static void checkTxn(String verb, String key, Entry e, long idx, String session, int position) {
        if (verb.equals("check-not-exists")) {
            if (e != null) {
                throw new TxnFailed(position, "key \"" + key + "\" exists");
            }
            return;
        }
        if (e == null) {
            throw new TxnFailed(position, "key \"" + key + "\" doesn't exist");
        }
        if (verb.equals("check-index") && e.modifyIndex() != idx) {
            throw new TxnFailed(position, "current modify index " + e.modifyIndex() + " != " + idx);
        }
        if (verb.equals("check-session") && !String.valueOf(session).equals(e.session())) {
            throw new TxnFailed(position, "key \"" + key + "\" is not locked by session \"" + session + "\"");
        }
    }

    // ---- sessions

    synchronized String createSession(String name, Duration ttl, String behavior, Duration lockDelay, List<String> sessionChecks) {
        if (!ttl.isZero() && (ttl.compareTo(MIN_TTL) < 0 || ttl.compareTo(MAX_TTL) > 0)) {
            throw new Refused(400, "Session TTL '" + ttl.toSeconds() + "s' must be between [10s=24h0m0s]");
        }
        if (!behavior.equals("release") && !behavior.equals("delete")) {
            throw new Refused(400, "Invalid Behavior setting '" + behavior + "'");
        }
        for (String check : sessionChecks) {
            Check c = checks.get(check);
            if (c == null) {
                throw new Refused(500, "Missing check '" + check + "' registration");
            }
            if (c.status().equals("critical")) {
                throw new Refused(500, "Check '" + check + "' is in critical state");
            }
        }
        index++;
        String id = UUID.randomUUID().toString();
        sessions.put(id, new Session(id, name, ttl, behavior, lockDelay, List.copyOf(sessionChecks), index, index, clock.getAsLong()));
        changed();
        return id;
    }

    synchronized Optional<Session> renew(String id) {
        Session s = sessions.get(id);
        if (s == null) {
            return Optional.empty();
        }
        Session renewed = new Session(s.id(), s.name(), s.ttl(), s.behavior(), s.lockDelay(), s.checks(), s.createIndex(),
                s.modifyIndex(), clock.getAsLong());
        sessions.put(id, renewed);
        return Optional.of(renewed);
    }

    synchronized Optional<Session> session(String id) {
        return Optional.ofNullable(sessions.get(id));
    }

    synchronized List<Session> sessions() {
        return new ArrayList<>(sessions.values());
    }

    synchronized void destroy(String id) {
        invalidate(id);
    }

    /** Reaps every session whose TTL (times the reap factor) has run out since its last renewal. */
    synchronized void reap() {
        long now = clock.getAsLong();
        for (Session s : new ArrayList<>(sessions.values())) {
            long limit = (long) (s.ttl().toNanos() * reapFactor);
            if (!s.ttl().isZero() && now - s.renewedNanos() > limit) {
                invalidate(s.id());
            }
        }
    }

    private void invalidate(String id) {
        Session s = sessions.remove(id);
        if (s == null) {
            return;
        }
        index++;
        for (Entry e : new ArrayList<>(kv.values())) {
            if (id.equals(e.session())) {
                if (s.behavior().equals("delete")) {
                    remove(e.key());
                } else {
                    kv.put(e.key(), e.with(e.value(), index, e.lockIndex(), null));
                }
                if (!s.lockDelay().isZero()) {
                    lockDelayUntil.put(e.key(), clock.getAsLong() + s.lockDelay().toNanos());
                }
            }
        }
        changed();
    }

    // ---- agent: services and checks

    synchronized void registerService(JsonObject definition) {
        String name = definition.getString("Name");
        if (name == null || name.isBlank()) {
            throw new Refused(400, "Missing service name");
        }
        String id = definition.getString("ID", name);
        List<JsonObject> serviceChecks = new ArrayList<>();
        if (definition.getJsonObject("Check") != null) {
            serviceChecks.add(definition.getJsonObject("Check"));
        }
        JsonArray more = definition.getJsonArray("Checks", new JsonArray());
        for (int i = 0; i < more.size(); i++) {
            serviceChecks.add(more.getJsonObject(i));
        }
        index++;
        services.put(id, new JsonObject().put("ID", id).put("Service", name)
                .put("Tags", definition.getJsonArray("Tags", new JsonArray())).put("Address", definition.getString("Address", ""))
                .put("Port", definition.getInteger("Port", 0)).put("Checks", new JsonArray(serviceChecks)));
        for (int i = 0; i < serviceChecks.size(); i++) {
            JsonObject c = serviceChecks.get(i);
            String checkId = c.getString("CheckID", serviceChecks.size() == 1 ? "service:" + id : "service:" + id + ":" + (i + 1));
            // Consul starts a check critical unless the definition gives a Status.
            checks.put(checkId, new Check(checkId, c.getString("Name", "Service '" + name + "' check"),
                    c.getString("Status", "critical"), id, name));
        }
        changed();
    }

    synchronized void deregisterService(String id) {
        if (services.remove(id) == null) {
            throw new Refused(404, "Unknown service ID \"" + id + "\". Ensure that the service ID is passed, not the service name.");
        }
        index++;
        for (Check c : new ArrayList<>(checks.values())) {
            if (id.equals(c.serviceId())) {
                checks.remove(c.id());
                invalidateSessionsUsing(c.id());
            }
        }
        changed();
    }

    synchronized void setCheckStatus(String checkId, String status) {
        Check c = checks.get(checkId);
        if (c == null) {
            throw new Refused(404, "Unknown check ID \"" + checkId + "\"");
        }
        checks.put(checkId, new Check(c.id(), c.name(), status, c.serviceId(), c.serviceName()));
        if (status.equals("critical")) {
            invalidateSessionsUsing(checkId);
        }
        changed();
    }

    private void invalidateSessionsUsing(String checkId) {
        for (Session s : new ArrayList<>(sessions.values())) {
            if (s.checks().contains(checkId)) {
                invalidate(s.id());
            }
        }
    }

    synchronized JsonObject servicesJson() {
        JsonObject out = new JsonObject();
        services.forEach((id, s) -> out.put(id, s.copy()));
        return out;
    }

    synchronized JsonObject checksJson() {
        JsonObject out = new JsonObject();
        checks.forEach((id, c) -> out.put(id, c.json()));
        return out;
    }
}
