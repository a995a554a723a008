package io.pgha.provision.inventory;

import java.util.Objects;

/**
 * One thing wrong with an inventory: where, as a dotted path from the file's top
 * ({@code all.children.pg-test.hosts.10.10.10.12.pg_role}, or {@code (file)} for the file itself),
 * and what to change, in words an operator can act on.
 */
public record InventoryProblem(String path, String message) {
    public InventoryProblem {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return path + ": " + message;
    }
}
