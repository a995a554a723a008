package io.pgha.provision.inventory;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A database from {@code pg_databases}; {@code extensions} are created in it by name. */
public record PgDatabase(String name, Optional<String> owner, Optional<String> template, Optional<String> encoding,
                         Optional<String> locale, Optional<String> comment, List<String> extensions, State state) {
    public PgDatabase {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(encoding, "encoding");
        Objects.requireNonNull(locale, "locale");
        Objects.requireNonNull(comment, "comment");
        extensions = List.copyOf(extensions);
        Objects.requireNonNull(state, "state");
    }
}
