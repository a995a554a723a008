package io.pgha.provision.inventory;

/**
 * A host of Pigsty's {@code infra} group: where monitoring runs, so where pgha leaves the
 * Prometheus targets of every member it provisions.
 */
public record InfraNode(String address, int seq) {
    public String name() {
        return "infra-" + seq;
    }
}
