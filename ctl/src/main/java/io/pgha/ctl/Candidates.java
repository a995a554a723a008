package io.pgha.ctl;

import java.util.List;
import java.util.stream.Collectors;

/** Member lookups with the one-line refusals every command gives for them. */
final class Candidates {
    private Candidates() {
    }

    static MemberRow member(ClusterView view, String name) {
        return view.member(name).orElseThrow(() -> CtlError.usage("no member named \"" + name + "\" in cluster "
                + view.scope() + " (members: " + names(view.members()) + ")"));
    }

    /** Patroni's rule: {@code nofailover: true} or {@code failover_priority ≤ 0} never promotes. */
    static boolean mayPromote(MemberRow m) {
        Object nofailover = m.tags().get("nofailover");
        if (Boolean.TRUE.equals(nofailover) || "true".equalsIgnoreCase(String.valueOf(nofailover))) {
            return false;
        }
        Object priority = m.tags().get("failover_priority");
        if (priority == null) {
            return true;
        }
        try {
            return Long.parseLong(String.valueOf(priority).strip()) > 0;
        } catch (NumberFormatException e) {
            return true; // the daemon rejects such a tag itself; do not guess here
        }
    }

    static String names(List<MemberRow> members) {
        return members.isEmpty() ? "none" : members.stream().map(MemberRow::name).collect(Collectors.joining(", "));
    }
}
