package io.pgha.dcs.model;

/**
 * The leader key: its value is the member name, and it lives exactly as long as the holder's lease
 * ({@code lease} is the etcd lease id or a Consul session's hash).
 */
public record Leader(String name, long version, long lease) {
}
