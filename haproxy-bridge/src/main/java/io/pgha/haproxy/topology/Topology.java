package io.pgha.haproxy.topology;

import io.pgha.config.HaproxyCheckTiming;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the rendered config depends on besides the settings: the members HAProxy can reach,
 * who leads (selectors such as {@code primary} depend on it), and the check timing in force.
 */
public record Topology(List<MemberEndpoint> members, Optional<String> leader, HaproxyCheckTiming timing) {
    public Topology {
        members = List.copyOf(members);
        Objects.requireNonNull(leader, "leader");
        Objects.requireNonNull(timing, "timing");
    }

    public boolean isLeader(String member) {
        return leader.filter(member::equals).isPresent();
    }
}
