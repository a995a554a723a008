package io.pgha.provision.inventory;

import io.pgha.config.Node;
import io.pgha.config.Values;

/** {@code state:} of a user or database; Pigsty's {@code create} is pgha's present. */
final class StateReader {
    private StateReader() {
    }

    static State read(Node n) {
        if (!n.isPresent()) {
            return State.PRESENT;
        }
        if (n.value() instanceof String s) {
            switch (s) {
                case "create", "present":
                    return State.PRESENT;
                case "absent":
                    return State.ABSENT;
                case "recreate":
                    n.problem("not supported by pgha: it never drops a database to recreate it; use absent, apply, then create");
                    return State.PRESENT;
                default:
                    break;
            }
        }
        n.problem("expected create, present or absent, got " + Values.describe(n.value()));
        return State.PRESENT;
    }
}
