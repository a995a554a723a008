package io.pgha.migrate;

import java.util.List;
import java.util.Map;

/** A Patroni config turned into a pgha one: the tree to write, the keys carried as they were, and the notes on the rest. */
public record Conversion(Map<String, Object> pgha, List<String> carried, List<Note> notes) {
    public Conversion {
        carried = List.copyOf(carried);
        notes = List.copyOf(notes);
    }
}
