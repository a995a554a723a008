package io.pgha.dcs.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.pgha.dcs.CasResult;
import io.pgha.dcs.ClusterEvent;
import io.pgha.dcs.ClusterWatch;
import io.pgha.dcs.Consistency;
import io.pgha.dcs.Dcs;
import io.pgha.dcs.Expect;
import io.pgha.dcs.MemberSession;
import io.pgha.dcs.MonotonicClock;
import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.ClusterKey;
import io.pgha.dcs.model.KeyLayout;
import io.pgha.dcs.model.RawEntry;

import java.util.List;
import java.util.function.Consumer;

/** The DCS contract on etcd v3 (jetcd), with Patroni's etcd3 key semantics. */
public final class EtcdDcs implements Dcs {
    private final KeyLayout layout;
    private final EtcdEndpoints endpoints;
    private final MonotonicClock clock;

    public EtcdDcs(KeyLayout layout, EtcdSettings settings) {
        this(layout, settings, MonotonicClock.SYSTEM);
    }

    public EtcdDcs(KeyLayout layout, EtcdSettings settings, MonotonicClock clock) {
        this.layout = layout;
        this.clock = clock;
        this.endpoints = new EtcdEndpoints(settings, clock);
    }

    @Override
    public KeyLayout layout() {
        return layout;
    }

    EtcdEndpoints endpoints() {
        return endpoints;
    }

    @Override
    public Cluster read(Consistency consistency) {
        return toCluster(readPrefix(consistency));
    }

    GetResponse readPrefix(Consistency consistency) {
        ByteSequence prefix = Bytes.of(layout.prefix());
        GetOption option = GetOption.builder().isPrefix(true).withSerializable(consistency == Consistency.SERIALIZABLE).build();
        return endpoints.call("read " + layout.prefix(), c -> c.getKVClient().get(prefix, option));
    }

    Cluster toCluster(GetResponse response) {
        List<RawEntry> entries = response.getKvs().stream().map(EtcdDcs::raw).toList();
        return Cluster.fromEntries(layout, entries, response.getHeader().getRevision());
    }

    static RawEntry raw(KeyValue kv) {
        return new RawEntry(Bytes.text(kv.getKey()), Bytes.text(kv.getValue()), kv.getModRevision(), kv.getLease());
    }

    @Override
    public CasResult write(ClusterKey key, String value, Expect expect) {
        ByteSequence k = Bytes.of(layout.key(key));
        ByteSequence v = Bytes.of(value);
        if (expect instanceof Expect.Anything) {
            long revision = endpoints.call("write " + key.path(),
                    c -> c.getKVClient().put(k, v).thenApply(r -> r.getHeader().getRevision()));
            return new CasResult.Written(revision);
        }
        TxnResponse response = endpoints.call("write " + key.path(), c -> c.getKVClient().txn()
                .If(condition(k, expect))
                .Then(Op.put(k, v, PutOption.DEFAULT))
                .Else(Op.get(k, GetOption.DEFAULT))
                .commit());
        return result(response);
    }

    @Override
    public CasResult delete(ClusterKey key, Expect expect) {
        ByteSequence k = Bytes.of(layout.key(key));
        if (expect instanceof Expect.Absent) {
            throw new IllegalArgumentException("delete with Expect.absent() makes no sense");
        }
        if (expect instanceof Expect.Anything) {
            long revision = endpoints.call("delete " + key.path(),
                    c -> c.getKVClient().delete(k).thenApply(r -> r.getHeader().getRevision()));
            return new CasResult.Written(revision);
        }
        TxnResponse response = endpoints.call("delete " + key.path(), c -> c.getKVClient().txn()
                .If(condition(k, expect))
                .Then(Op.delete(k, DeleteOption.DEFAULT))
                .Else(Op.get(k, GetOption.DEFAULT))
                .commit());
        return result(response);
    }

    @Override
    public boolean deleteMember(String member) {
        ByteSequence k = Bytes.of(layout.member(member));
        return endpoints.call("delete member " + member, c -> c.getKVClient().delete(k)).getDeleted() > 0;
    }

    private static Cmp condition(ByteSequence key, Expect expect) {
        if (expect instanceof Expect.Absent) {
            return new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0));
        }
        if (expect instanceof Expect.AtVersion at) {
            return new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(at.version()));
        }
        throw new IllegalArgumentException("no condition for " + expect);
    }

    private static CasResult result(TxnResponse response) {
        if (response.isSucceeded()) {
            return new CasResult.Written(response.getHeader().getRevision());
        }
        long current = response.getGetResponses().stream()
                .flatMap(g -> g.getKvs().stream())
                .mapToLong(KeyValue::getModRevision)
                .findFirst().orElse(0L);
        return new CasResult.Conflict(current);
    }

    @Override
    public ClusterWatch watch(long afterRevision, Consumer<ClusterEvent> listener) {
        return EtcdClusterWatch.start(this, afterRevision, listener);
    }

    @Override
    public MemberSession openSession(String member, long ttlSeconds) {
        return EtcdMemberSession.open(this, member, ttlSeconds, clock);
    }

    @Override
    public void wipe() {
        ByteSequence prefix = Bytes.of(layout.prefix());
        endpoints.call("wipe " + layout.prefix(),
                c -> c.getKVClient().delete(prefix, DeleteOption.builder().isPrefix(true).build()));
    }

    @Override
    public void close() {
        endpoints.close();
    }
}
