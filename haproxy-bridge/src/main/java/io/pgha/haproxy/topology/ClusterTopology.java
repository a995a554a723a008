package io.pgha.haproxy.topology;

import io.pgha.config.ConfigException;
import io.pgha.config.DynamicConfig;
import io.pgha.config.HaproxyCheckTiming;
import io.pgha.config.RtoPreset;
import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.Member;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Turns a DCS snapshot into the {@link Topology} HAProxy is rendered from. */
public final class ClusterTopology {
    /** The topology, and the members left out of it with the reason (to be logged). */
    public record Result(Topology topology, List<MemberEndpoint.Parsed.Unusable> leftOut) {
        public Result {
            leftOut = List.copyOf(leftOut);
        }
    }

    private ClusterTopology() {
    }

    /**
     * @param override    {@code haproxy.check_timing}, when the operator pinned the check timing
     * @param fileDefault the rto of pgha.yml's {@code bootstrap.dcs}, used until the cluster's
     *                    {@code config} key says otherwise (it is authoritative once written)
     */
    public static Result of(Cluster cluster, Optional<HaproxyCheckTiming> override, RtoPreset fileDefault) {
        List<MemberEndpoint> members = new ArrayList<>();
        List<MemberEndpoint.Parsed.Unusable> leftOut = new ArrayList<>();
        for (Member m : cluster.members().values()) {
            MemberEndpoint.Parsed parsed = MemberEndpoint.of(m);
            if (parsed instanceof MemberEndpoint.Parsed.Usable u) {
                members.add(u.endpoint());
            } else if (parsed instanceof MemberEndpoint.Parsed.Unusable u) {
                leftOut.add(u);
            }
        }
        HaproxyCheckTiming timing = override.orElseGet(() -> clusterRto(cluster).orElse(fileDefault).haproxy());
        return new Result(new Topology(members, cluster.leaderName(), timing), leftOut);
    }

    /** The rto preset of the cluster's dynamic config; empty when absent or unreadable (the caller falls back). */
    static Optional<RtoPreset> clusterRto(Cluster cluster) {
        return cluster.config().flatMap(v -> {
            try {
                return Optional.of(DynamicConfig.fromJson(v.value()).rto());
            } catch (ConfigException e) {
                return Optional.empty();
            }
        });
    }
}
