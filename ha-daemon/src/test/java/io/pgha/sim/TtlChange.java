package io.pgha.sim;

import java.time.Duration;

/** {@code pgha edit-config -s ttl=…} at {@code atNanos}: the config key's ttl changes for every member. */
record TtlChange(long atNanos, Duration ttl) {
}
