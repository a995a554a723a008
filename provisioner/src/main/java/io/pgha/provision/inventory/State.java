package io.pgha.provision.inventory;

/**
 * Whether a user or database must exist. pgha never drops what the inventory merely stops
 * mentioning; only {@code state: absent} removes. Pigsty's {@code create} reads as present.
 */
public enum State {
    PRESENT, ABSENT
}
