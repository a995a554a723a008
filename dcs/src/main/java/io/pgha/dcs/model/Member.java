package io.pgha.dcs.model;

/** One {@code members/<name>} key: its data, and the lease that keeps it alive. */
public record Member(String name, MemberData data, long version, long lease) {
}
