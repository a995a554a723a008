package io.pgha.dcs;

import io.pgha.config.DcsConfig;
import io.pgha.config.Etcd3Config;
import io.pgha.config.PghaConfig;
import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.ClusterKey;
import io.pgha.dcs.model.KeyLayout;

import java.time.Duration;
import java.util.ServiceLoader;
import java.util.function.Consumer;

/**
 * The one DCS contract every pgha component uses: the HA daemon, the CLI, the VIP manager and the
 * HAProxy bridge. Every call either answers within the backend's retry timeout or throws a
 * {@link DcsException}; none hangs. Calls block, so they never run on an event-loop thread.
 */
public interface Dcs extends AutoCloseable {

    /**
     * The one way to open "the DCS of this config": the daemon, the CLI, the VIP manager and the bridge
     * all come here, so a second backend is added in one place.
     *
     * @param retryTimeout the resolved {@code retry_timeout}; every call answers within it or throws
     */
    static Dcs open(PghaConfig config, Duration retryTimeout) {
        return open(KeyLayout.of(config), config.dcs(), retryTimeout);
    }

    /** For callers that name the cluster themselves ({@code pgha list --dcs … --scope …}, vip.yml). */
    static Dcs open(KeyLayout layout, DcsConfig config, Duration retryTimeout) {
        for (DcsBackend backend : ServiceLoader.load(DcsBackend.class, Dcs.class.getClassLoader())) {
            if (backend.serves(config)) {
                return backend.open(layout, config, retryTimeout);
            }
        }
        String section = config instanceof Etcd3Config ? "etcd3" : "consul";
        throw new DcsRejectedException("no DCS backend for the " + section + " section in this build of pgha", null);
    }

    KeyLayout layout();

    /** One snapshot of every key of the cluster. */
    Cluster read(Consistency consistency);

    /** Conditional write of a permanent key; a lost race is {@link CasResult.Conflict}, not an exception. */
    CasResult write(ClusterKey key, String value, Expect expect);

    /** Conditional delete of a permanent key; {@link CasResult.Written} carries the delete's revision. */
    CasResult delete(ClusterKey key, Expect expect);

    /** Deletes a member key regardless of its lease (an operator removing a dead member). */
    boolean deleteMember(String member);

    /**
     * Watches the cluster prefix, delivering every change after {@code afterRevision} in order. The
     * watch survives broken streams and endpoint failures by resuming from the last revision it
     * delivered.
     */
    ClusterWatch watch(long afterRevision, Consumer<ClusterEvent> listener);

    /** Grants this member a lease of {@code ttlSeconds} and returns the session bound to it. */
    MemberSession openSession(String member, long ttlSeconds);

    /** Deletes every key of the cluster (pgha remove). */
    void wipe();

    @Override
    void close();
}
