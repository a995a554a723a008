package io.pgha.rest;

import io.pgha.dcs.CasResult;
import io.pgha.dcs.ClusterEvent;
import io.pgha.dcs.ClusterWatch;
import io.pgha.dcs.Consistency;
import io.pgha.dcs.Dcs;
import io.pgha.dcs.Expect;
import io.pgha.dcs.MemberSession;
import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.ClusterKey;
import io.pgha.dcs.model.KeyLayout;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A real DCS client that lets a test slip one action in right after the next read returns: how a
 * second editor's write lands between our read and our compare-and-swap, deterministically.
 */
final class RacingDcs implements Dcs {
    private final Dcs real;
    private final AtomicReference<Runnable> afterNextRead = new AtomicReference<>();

    RacingDcs(Dcs real) {
        this.real = real;
    }

    void afterNextRead(Runnable action) {
        afterNextRead.set(action);
    }

    @Override
    public Cluster read(Consistency consistency) {
        Cluster c = real.read(consistency);
        Runnable action = afterNextRead.getAndSet(null);
        if (action != null) {
            action.run();
        }
        return c;
    }

    @Override
    public KeyLayout layout() {
        return real.layout();
    }

    @Override
    public CasResult write(ClusterKey key, String value, Expect expect) {
        return real.write(key, value, expect);
    }

    @Override
    public CasResult delete(ClusterKey key, Expect expect) {
        return real.delete(key, expect);
    }

    @Override
    public boolean deleteMember(String member) {
        return real.deleteMember(member);
    }

    @Override
    public ClusterWatch watch(long afterRevision, Consumer<ClusterEvent> listener) {
        return real.watch(afterRevision, listener);
    }

    @Override
    public MemberSession openSession(String member, long ttlSeconds) {
        return real.openSession(member, ttlSeconds);
    }

    @Override
    public void wipe() {
        real.wipe();
    }

    @Override
    public void close() {
        real.close();
    }
}
