package io.pgha.provision.inventory;

import io.pgha.config.Node;
import io.pgha.config.Values;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A cluster group's {@code hosts}: each member's identity and initial role, and the rules that make
 * the set a cluster pgha can bootstrap (one primary, distinct pg_seq, upstreams inside the cluster).
 */
final class HostsReader {
    /** A member with the nodes its values came from, for reporting against them. */
    private record Member(PgHost host, Node seq, Node role, Node upstream) {
    }

    private HostsReader() {
    }

    /**
     * @param memberOf address → the cluster already holding it, across groups read so far
     */
    static List<PgHost> read(String cluster, Node group, Node allVars, Map<String, String> memberOf, Reading r) {
        Node hosts = group.get("hosts");
        if (!hosts.mapping()) {
            return List.of();
        }
        if (hosts.keys().isEmpty()) {
            hosts.problem("a PostgreSQL cluster needs at least one host, like 10.10.10.11: {pg_seq: 1, pg_role: primary}");
            return List.of();
        }
        List<Member> members = new ArrayList<>();
        for (var e : hosts.entries().entrySet()) {
            member(cluster, e.getKey(), e.getValue(), group.get("vars"), allVars, memberOf, r).ifPresent(members::add);
        }
        checkPrimary(members, hosts);
        checkSeq(cluster, members);
        checkUpstreams(cluster, members);
        return members.stream().map(Member::host).sorted(Comparator.comparingInt(PgHost::seq)).toList();
    }

    private static Optional<Member> member(String cluster, String address, Node host, Node groupVars, Node allVars,
                                         Map<String, String> memberOf, Reading r) {
        if (!Addresses.isHost(address)) {
            host.problem("expected an IPv4 or IPv6 address or a host name as the host's key, got " + Values.describe(address));
            return Optional.empty();
        }
        if (!r.checkVars(host, Where.PG_HOST)) {
            return Optional.empty();
        }
        String other = memberOf.putIfAbsent(address, cluster);
        if (other != null) {
            host.problem("already a member of " + other + ": a host belongs to one PostgreSQL cluster");
            return Optional.empty();
        }
        Scope vars = Scope.of(host, groupVars, allVars);
        Node seqNode = host.get("pg_seq").required("a positive integer; the member is named " + cluster + "-<pg_seq>");
        Optional<Integer> seq = Read.positiveInt(seqNode);
        Node roleNode = vars.get("pg_role").required("primary, replica or offline");
        Optional<PgRole> role = Read.choice(roleNode, PgRole::ofKey, "primary, replica or offline");
        Node upstreamNode = host.get("pg_upstream");
        Optional<String> upstream = upstreamNode.string();
        Optional<Duration> delay = Delay.read(vars.get("pg_delay"));
        boolean offlineQuery = Read.bool(vars.get("pg_offline_query"), false);
        if (seq.isEmpty() || role.isEmpty()) {
            return Optional.empty();
        }
        if (role.get() == PgRole.PRIMARY && upstream.isEmpty() && delay.isPresent()) {
            // A cluster-wide pg_delay is meant for the replicas; only one written on the primary is a
            // mistake, unless the primary leads a standby cluster (pg_upstream): Pigsty's delayed cluster.
            if (host.get("pg_delay").isPresent()) {
                host.get("pg_delay").problem("a primary applies no replication delay: set pg_delay on a replica,"
                        + " or pg_upstream on this primary to make the cluster a delayed standby cluster");
            }
            delay = Optional.empty();
        }
        return Optional.of(new Member(new PgHost(address, seq.get(), role.get(), upstream, delay, offlineQuery),
                seqNode, roleNode, upstreamNode));
    }

    private static void checkPrimary(List<Member> members, Node hosts) {
        List<Member> primaries = members.stream().filter(m -> m.host().role() == PgRole.PRIMARY).toList();
        boolean allRead = members.size() == hosts.keys().size();
        if (primaries.isEmpty() && allRead) {
            hosts.problem("no member has pg_role: primary; exactly one must, the cluster is bootstrapped on it");
        }
        for (Member extra : primaries.subList(Math.min(1, primaries.size()), primaries.size())) {
            extra.role().problem("a second primary (" + primaries.get(0).host().address()
                    + " is one): exactly one member has pg_role: primary; make this one a replica");
        }
    }

    private static void checkSeq(String cluster, List<Member> members) {
        Map<Integer, String> seen = new HashMap<>();
        for (Member m : members) {
            String other = seen.putIfAbsent(m.host().seq(), m.host().address());
            if (other != null) {
                m.seq().problem("pg_seq " + m.host().seq() + " is also " + other + "'s: each member needs its own, it names the member "
                        + m.host().memberName(cluster));
            }
        }
    }

    private static void checkUpstreams(String cluster, List<Member> members) {
        for (Member m : members) {
            Optional<String> upstream = m.host().upstream();
            if (upstream.isEmpty()) {
                continue;
            }
            String u = upstream.get();
            if (m.host().role() == PgRole.PRIMARY) {
                if (members.stream().anyMatch(o -> o.host().address().equals(u))) {
                    m.upstream().problem(Values.describe(u) + " is a member of " + cluster + ": on the primary, pg_upstream names the"
                            + " primary of another cluster, which this one follows as a standby cluster");
                }
            } else if (u.equals(m.host().address())) {
                m.upstream().problem("a member cannot replicate from itself");
            } else if (members.stream().noneMatch(o -> o.host().address().equals(u))) {
                m.upstream().problem(Values.describe(u) + " is not a member of " + cluster
                        + ": pg_upstream names another host of the same cluster to cascade from");
            } else {
                checkChain(m, members);
            }
        }
    }

    /** Cascading must end at a member that streams from the primary, or none of the chain ever gets WAL. */
    private static void checkChain(Member start, List<Member> members) {
        Map<String, Member> byAddress = new HashMap<>();
        members.forEach(m -> byAddress.put(m.host().address(), m));
        List<String> chain = new ArrayList<>(List.of(start.host().address()));
        Member at = start;
        while (at != null && at.host().upstream().isPresent()) {
            String next = at.host().upstream().get();
            if (next.equals(start.host().address())) {
                chain.add(next);
                start.upstream().problem("pg_upstream forms a cycle (" + String.join(" → ", chain)
                        + "): the chain must end at a member that replicates from the primary");
                return;
            }
            if (chain.contains(next)) {
                return; // a cycle further up, reported on its own members
            }
            chain.add(next);
            at = byAddress.get(next);
        }
    }
}
