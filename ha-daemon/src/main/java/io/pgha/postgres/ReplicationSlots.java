package io.pgha.postgres;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** The physical replication slots a leader keeps for its members. */
final class ReplicationSlots {
    private final PgProbe probe;

    ReplicationSlots(PgProbe probe) {
        this.probe = probe;
    }

    /** Creates the slots in {@code wanted}; drops other inactive physical slots unless {@code keep} says so. */
    List<String> sync(Set<String> wanted, Predicate<String> keep) throws SQLException {
        List<String> changes = new ArrayList<>();
        Map<String, Boolean> existing = probe.physicalSlots();
        for (String slot : wanted) {
            if (!existing.containsKey(slot)) {
                probe.createSlot(slot);
                changes.add("created slot " + slot);
            }
        }
        for (Map.Entry<String, Boolean> e : existing.entrySet()) {
            if (!wanted.contains(e.getKey()) && !e.getValue() && !keep.test(e.getKey())) {
                probe.dropSlot(e.getKey());
                changes.add("dropped slot " + e.getKey());
            }
        }
        return changes;
    }
}
