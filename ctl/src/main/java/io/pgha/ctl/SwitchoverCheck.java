package io.pgha.ctl;

import io.vertx.core.json.JsonObject;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * Checks a switchover request against the cluster before anything is sent, so that an operator's
 * mistake is answered with its reason and nothing changes. The daemon checks again (a member can
 * start lagging in between); this is the part that needs no more than the DCS.
 */
record SwitchoverCheck(String leader, Optional<String> candidate, Optional<OffsetDateTime> scheduledAt) {

    static SwitchoverCheck of(ClusterView view, Optional<String> leaderArg, Optional<String> candidateArg,
                              Optional<OffsetDateTime> scheduledAt) {
        leaderArg.ifPresent(l -> Candidates.member(view, l));
        candidateArg.ifPresent(c -> Candidates.member(view, c));
        String leader = view.leaderRow().map(MemberRow::name).orElseThrow(() -> CtlError.usage(
                "cluster " + view.scope() + " has no leader, so there is nothing to switch over from; use pgha failover --candidate NAME"));
        if (leaderArg.isPresent() && !leaderArg.get().equals(leader)) {
            throw CtlError.usage(leaderArg.get() + " is not the leader (" + leader + " is)");
        }
        if (candidateArg.isPresent()) {
            MemberRow c = Candidates.member(view, candidateArg.get());
            if (c.name().equals(leader)) {
                throw CtlError.usage(c.name() + " is already the leader; name another member as --candidate");
            }
            if (!Candidates.mayPromote(c)) {
                throw CtlError.usage(c.name() + " may never be promoted (tag nofailover or failover_priority 0)");
            }
        } else {
            if (view.paused()) {
                throw CtlError.usage("cluster " + view.scope() + " is paused: a switchover then needs a named --candidate");
            }
            List<MemberRow> eligible = view.members().stream()
                    .filter(m -> !m.name().equals(leader) && Candidates.mayPromote(m)).toList();
            if (eligible.isEmpty()) {
                throw CtlError.usage("no candidates: cluster " + view.scope() + " has no member but the leader that may be promoted");
            }
        }
        if (scheduledAt.isPresent() && view.paused()) {
            throw CtlError.usage("cluster " + view.scope() + " is paused: a switchover cannot be scheduled then (pgha resume first)");
        }
        return new SwitchoverCheck(leader, candidateArg, scheduledAt);
    }

    /** The body of {@code POST /switchover}. */
    JsonObject body() {
        JsonObject o = new JsonObject().put("leader", leader);
        candidate.ifPresent(c -> o.put("candidate", c));
        scheduledAt.ifPresent(at -> o.put("scheduled_at", at.toString()));
        return o;
    }

    String describe() {
        return "from " + leader + " to " + candidate.orElse("the best candidate")
                + scheduledAt.map(at -> " at " + at).orElse(" now");
    }
}
