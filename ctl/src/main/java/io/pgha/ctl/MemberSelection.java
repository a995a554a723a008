package io.pgha.ctl;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/** The members a command acts on: the named ones (all when none are named), filtered by role. */
final class MemberSelection {
    private MemberSelection() {
    }

    /** @param role primary (leader, master), replica (standby) or any; null means any */
    static List<MemberRow> select(ClusterView view, List<String> names, String role) {
        String r = role == null ? "any" : role.toLowerCase(Locale.ROOT);
        if (!List.of("primary", "leader", "master", "replica", "standby", "any").contains(r)) {
            throw CtlError.usage("--role must be primary, replica or any; got \"" + role + "\"");
        }
        List<MemberRow> chosen = new ArrayList<>();
        if (names == null || names.isEmpty()) {
            chosen.addAll(view.members());
        } else {
            for (String n : new LinkedHashSet<>(names)) {
                chosen.add(Candidates.member(view, n));
            }
        }
        return chosen.stream().filter(m -> switch (r) {
            case "primary", "leader", "master" -> m.isLeader();
            case "replica", "standby" -> !m.isLeader();
            default -> true;
        }).toList();
    }
}
