package io.pgha.config;

/** Which DCS holds the cluster state: exactly one of the {@code etcd3} or {@code consul} sections. */
public sealed interface DcsConfig permits Etcd3Config, ConsulConfig {
}
