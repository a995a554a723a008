package io.pgha.dcs.consul;

import io.pgha.dcs.DcsException;
import io.pgha.dcs.DcsRejectedException;
import io.pgha.dcs.Lease;
import io.pgha.dcs.LeaseGoneException;
import io.pgha.dcs.MemberSession;
import io.pgha.dcs.MonotonicClock;
import io.pgha.dcs.Relet;
import io.pgha.dcs.Renewal;
import io.pgha.dcs.model.MemberData;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One Consul session per node, as Patroni keeps it: {@code Behavior: delete}, so the member key and
 * the leader key it holds vanish with it; {@code LockDelay: 0s}, so a successor may take the leader
 * key at once (our own fence, not Consul's lock-delay, keeps two primaries apart); the node's health
 * checks. Consul treats the TTL as a lower bound and may reap a session up to twice as late
 * (https://developer.hashicorp.com/consul/api-docs/session#ttl), so the lease deadline is ours:
 * the TTL from when the renewal was <em>sent</em>, on the monotonic clock.
 */
final class ConsulMemberSession implements MemberSession {
    private static final Logger LOG = LoggerFactory.getLogger(ConsulMemberSession.class);

    private final ConsulDcs dcs;
    private final String member;
    private final MonotonicClock clock;
    private volatile long requestedTtl;
    private volatile Lease lease;
    private volatile String sessionId;
    /** A session made for a {@link #relet} whose move did not answer; null when settled. */
    private Pending unsettled;
    private String lastPublished;
    private String lastPublishedSession;
    private final Optional<ServiceAnnouncer> services;

    private record Pending(String sessionId, Lease lease, long requestedTtl) {
    }

    private ConsulMemberSession(ConsulDcs dcs, String member, long requestedTtl, MonotonicClock clock) {
        this.dcs = dcs;
        this.member = member;
        this.requestedTtl = requestedTtl;
        this.clock = clock;
        this.services = dcs.http().settings().registration().map(how -> new ServiceAnnouncer(dcs.http(), dcs.layout(), member, how));
    }

    static ConsulMemberSession open(ConsulDcs dcs, String member, long ttlSeconds, MonotonicClock clock) {
        dcs.layout().member(member); // validates the name
        checkTtl(ttlSeconds);
        ConsulMemberSession s = new ConsulMemberSession(dcs, member, ttlSeconds, clock);
        s.adoptNew(s.create(ttlSeconds));
        return s;
    }

    /** Consul refuses TTLs outside 10 s – 86400 s; say so here rather than let it fail at the agent. */
    static void checkTtl(long ttlSeconds) {
        if (ttlSeconds < ConsulSettings.MIN_TTL_SECONDS || ttlSeconds > ConsulSettings.MAX_TTL_SECONDS) {
            throw new DcsRejectedException("consul: ttl " + ttlSeconds + " s is outside the session TTLs Consul accepts ("
                    + ConsulSettings.MIN_TTL_SECONDS + " s to " + ConsulSettings.MAX_TTL_SECONDS
                    + " s); set ttl in the DCS config within them", null);
        }
    }

    private record Created(String id, Lease lease) {
    }

    private Created create(long ttlSeconds) {
        JsonObject body = new JsonObject()
                .put("Name", dcs.layout().scope() + "-" + member)
                .put("TTL", ttlSeconds + "s")
                .put("Behavior", "delete")
                .put("LockDelay", "0s")
                .put("Checks", new JsonArray(dcs.http().settings().checks().orElse(List.of("serfHealth"))));
        long sent = clock.nanos();
        ConsulHttp.Answer a = dcs.http().call("create session for " + member, HttpMethod.PUT, "/v1/session/create", Map.of(),
                Buffer.buffer(body.encode()));
        if (!a.ok()) {
            throw new DcsRejectedException("create session for " + member + ": Consul answered " + a.status() + " " + a.text(), null);
        }
        String id = a.body().toJsonObject().getString("ID");
        Duration ttl = Duration.ofSeconds(ttlSeconds);
        return new Created(id, new Lease(KvEntry.leaseId(id), ttl, sent + ttl.toNanos()));
    }

    private void adoptNew(Created c) {
        sessionId = c.id();
        lease = c.lease();
    }

    @Override
    public String member() {
        return member;
    }

    @Override
    public Lease lease() {
        return lease;
    }

    @Override
    public Duration requestedTtl() {
        return Duration.ofSeconds(requestedTtl);
    }

    /** The Consul session ID behind {@link #lease()}. */
    String sessionId() {
        return sessionId;
    }

    @Override
    public synchronized Renewal renew(Runnable whenGone) {
        settle();
        String id = sessionId;
        Lease current = lease;
        long sent = clock.nanos();
        // Renewals go to the leader server, which keeps the TTL timers; without one the agent
        // answers 500 ("No cluster leader") and the deadline stays put.
        ConsulHttp.Answer a = dcs.http().call("renew session " + id, HttpMethod.PUT, "/v1/session/renew/" + id, Map.of(), null);
        if (a.status() == 404) {
            whenGone.run(); // before a new session: a primary must not write on for one more round trip
            LOG.warn("session {} of {} had been invalidated in Consul; its leader and member keys are gone; creating a new one",
                    id, member);
            adoptNew(create(requestedTtl));
            lastPublished = null;
            return new Renewal.Expired(current.id(), lease);
        }
        if (!a.ok()) {
            throw new DcsRejectedException("renew session " + id + ": Consul answered " + a.status() + " " + a.text(), null);
        }
        String ttlText = a.body().toJsonArray().getJsonObject(0).getString("TTL", requestedTtl + "s");
        Duration ttl = Duration.ofSeconds(Long.parseLong(ttlText.replaceAll("[^0-9]", "")));
        lease = new Lease(current.id(), ttl, sent + ttl.toNanos());
        return new Renewal.Renewed(lease);
    }

    @Override
    public synchronized Relet relet(long ttlSeconds, Consumer<Lease> beforeMoving) {
        checkTtl(ttlSeconds);
        settle();
        String old = sessionId;
        Lease oldLease = lease;
        String leaderKey = dcs.layout().leader();
        String memberKey = dcs.layout().member(member);
        Optional<KvEntry> leader = dcs.readKey(leaderKey).filter(e -> e.value().equals(member) && e.heldBy(old));
        Optional<KvEntry> mine = dcs.readKey(memberKey).filter(e -> e.heldBy(old));
        Created fresh = create(ttlSeconds);
        beforeMoving.accept(fresh.lease());
        // Unlock from the old session and lock with the new one in one transaction: the leader key
        // never leaves our name and is held by one session at every index.
        Txn move = new Txn();
        leader.ifPresent(e -> move.op("check-index", leaderKey, null, e.modifyIndex(), null)
                .op("unlock", leaderKey, member, 0, old).op("lock", leaderKey, member, 0, fresh.id()));
        String published = lastPublished;
        if (published != null) {
            mine.ifPresent(e -> move.op("unlock", memberKey, published, 0, old));
            move.op("lock", memberKey, published, 0, fresh.id());
        }
        Txn.Outcome outcome;
        try {
            outcome = move.isEmpty() ? new Txn.Outcome(true, new JsonArray(), -1, "") : move.run(dcs.http(), "move keys to session " + fresh.id());
        } catch (DcsRejectedException e) {
            destroy(fresh.id(), "unused session");
            throw e;
        } catch (DcsException e) {
            unsettled = new Pending(fresh.id(), fresh.lease(), ttlSeconds);
            lease = new Lease(oldLease.id(), oldLease.ttl(), Math.min(oldLease.deadlineNanos(), fresh.lease().deadlineNanos()));
            throw e;
        }
        if (!outcome.applied()) {
            destroy(fresh.id(), "unused session");
            return new Relet.Kept("the leader key changed while moving it to a new session (" + outcome.why() + ")");
        }
        adopt(fresh.id(), fresh.lease(), ttlSeconds);
        destroy(old, "previous session");
        return new Relet.Moved(oldLease, fresh.lease(), leader.isPresent());
    }

    private void adopt(String id, Lease fresh, long ttlSeconds) {
        sessionId = id;
        lease = fresh;
        requestedTtl = ttlSeconds;
        lastPublishedSession = id;
        unsettled = null;
    }

    /** After a move whose outcome was unknown: keep whichever session holds our member key. */
    private void settle() {
        Pending pending = unsettled;
        if (pending == null) {
            return;
        }
        boolean movedThere = dcs.readKey(dcs.layout().member(member)).filter(e -> e.heldBy(pending.sessionId())).isPresent()
                || dcs.readKey(dcs.layout().leader()).filter(e -> e.heldBy(pending.sessionId())).isPresent();
        String old = sessionId;
        if (movedThere) {
            LOG.info("keys of {} found held by session {} after an unanswered move; destroying session {}", member,
                    pending.sessionId(), old);
            adopt(pending.sessionId(), pending.lease(), pending.requestedTtl());
            destroy(old, "previous session");
        } else {
            unsettled = null;
            destroy(pending.sessionId(), "unused session");
        }
    }

    private void destroy(String id, String what) {
        try {
            dcs.http().call("destroy " + what + " " + id, HttpMethod.PUT, "/v1/session/destroy/" + id, Map.of(), null);
        } catch (DcsException e) {
            LOG.warn("could not destroy {} {} of {} ({}); it is reaped after its TTL", what, id, member, e.getMessage());
        }
    }

    /** {@code PUT ?acquire=}: true when this session holds the key now, false when another does. */
    private boolean acquire(String what, String fullKey, String value) {
        ConsulHttp.Answer a = dcs.http().call(what, HttpMethod.PUT, "/v1/kv/" + KvEntry.path(fullKey), Map.of("acquire", sessionId),
                Buffer.buffer(value));
        if (a.status() == 500) {
            throw new LeaseGoneException(what + ": lease not found: Consul session " + sessionId + " is invalid (" + a.text() + ")", null);
        }
        if (!a.ok()) {
            throw new DcsRejectedException(what + ": Consul answered " + a.status() + " " + a.text(), null);
        }
        return Boolean.parseBoolean(a.text());
    }

    @Override
    public synchronized boolean acquireLeader() {
        // Acquire fails while another session holds the key; a retry after a success finds it held by us.
        return acquire("acquire leader key", dcs.layout().leader(), member);
    }

    @Override
    public synchronized void takeLeader() {
        String key = dcs.layout().leader();
        for (int attempt = 1; attempt <= 3; attempt++) {
            Optional<KvEntry> current = dcs.readKey(key);
            Txn take = new Txn();
            current.filter(e -> e.session().isPresent() && !e.heldBy(sessionId))
                    .ifPresent(e -> take.op("delete-cas", key, null, e.modifyIndex(), null));
            take.op("lock", key, member, 0, sessionId);
            if (take.run(dcs.http(), "take leader key").applied()) {
                return;
            }
        }
        throw new DcsRejectedException("take leader key: it changed under three attempts in a row", null);
    }

    @Override
    public synchronized boolean takeOverLeader(long seenVersion) {
        String key = dcs.layout().leader();
        Optional<KvEntry> current = dcs.readKey(key).filter(e -> e.value().equals(member));
        if (current.isEmpty()) {
            return false;
        }
        KvEntry e = current.get();
        if (e.heldBy(sessionId)) {
            return true; // a retry after a success
        }
        if (e.modifyIndex() != seenVersion) {
            return false;
        }
        Txn take = new Txn().op("check-index", key, null, seenVersion, null);
        e.session().ifPresent(other -> take.op("unlock", key, member, 0, other));
        take.op("lock", key, member, 0, sessionId);
        return take.run(dcs.http(), "take over leader key").applied();
    }

    @Override
    public synchronized boolean releaseLeader() {
        String key = dcs.layout().leader();
        Optional<KvEntry> current = dcs.readKey(key);
        if (current.isEmpty()) {
            return true; // nothing of ours is left
        }
        if (!current.get().value().equals(member)) {
            return false;
        }
        if (new Txn().op("delete-cas", key, null, current.get().modifyIndex(), null).run(dcs.http(), "release leader key").applied()) {
            return true;
        }
        return dcs.readKey(key).isEmpty();
    }

    @Override
    public synchronized void publish(MemberData data) {
        String json = data.toJson();
        if (json.equals(lastPublished) && sessionId.equals(lastPublishedSession)) {
            return;
        }
        String key = dcs.layout().member(member);
        if (!acquire("publish member " + member, key, json)) {
            // Held by an earlier session of this member (a restart while it lives on): take it over.
            Optional<KvEntry> held = dcs.readKey(key);
            Txn take = new Txn();
            held.ifPresent(e -> take.op("delete-cas", key, null, e.modifyIndex(), null));
            take.op("lock", key, json, 0, sessionId);
            if (!take.run(dcs.http(), "take over member key " + member).applied()) {
                throw new DcsRejectedException("publish member " + member + ": the key is held by another session and changed meanwhile",
                        null);
            }
        }
        lastPublished = json;
        lastPublishedSession = sessionId;
        services.ifPresent(s -> s.announce(data));
    }

    @Override
    public synchronized void close() {
        if (unsettled != null) {
            destroy(unsettled.sessionId(), "unsettled session");
        }
        // Behavior delete: the member key and any leader key go with the session.
        destroy(sessionId, "session");
        services.ifPresent(ServiceAnnouncer::withdraw);
    }
}
