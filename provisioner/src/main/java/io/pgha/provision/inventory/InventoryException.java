package io.pgha.provision.inventory;

import java.util.List;
import java.util.stream.Collectors;

/**
 * An inventory was refused before anything was touched. It carries every problem found, so the
 * operator fixes the file in one round; the message is one {@code path: message} line per problem.
 */
public final class InventoryException extends RuntimeException {
    private final List<InventoryProblem> problems;

    public InventoryException(List<InventoryProblem> problems) {
        super(problems.stream().map(InventoryProblem::toString).collect(Collectors.joining("\n")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an InventoryException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public List<InventoryProblem> problems() {
        return problems;
    }
}
