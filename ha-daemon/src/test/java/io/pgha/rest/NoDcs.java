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

import java.util.function.Consumer;

/**
 * For suites whose endpoints must answer from the published status alone: any DCS call is a bug
 * (a health check that waits on the DCS stalls HAProxy when the DCS is slow), so it fails loudly.
 */
final class NoDcs implements Dcs {
    private static AssertionError touched(String what) {
        return new AssertionError("this endpoint must not touch the DCS, but called " + what);
    }

    @Override
    public KeyLayout layout() {
        return Fixtures.LAYOUT;
    }

    @Override
    public Cluster read(Consistency consistency) {
        throw touched("read");
    }

    @Override
    public CasResult write(ClusterKey key, String value, Expect expect) {
        throw touched("write");
    }

    @Override
    public CasResult delete(ClusterKey key, Expect expect) {
        throw touched("delete");
    }

    @Override
    public boolean deleteMember(String member) {
        throw touched("deleteMember");
    }

    @Override
    public ClusterWatch watch(long afterRevision, Consumer<ClusterEvent> listener) {
        throw touched("watch");
    }

    @Override
    public MemberSession openSession(String member, long ttlSeconds) {
        throw touched("openSession");
    }

    @Override
    public void wipe() {
        throw touched("wipe");
    }

    @Override
    public void close() {
    }
}
