package io.pgha.migrate;

import java.util.Map;
import java.util.Optional;

/**
 * What pgha does in place of a Patroni key it does not implement, for the keys Patroni's own
 * samples and the common deployments use; any other dropped key is reported with the reader's
 * own complaint.
 */
final class Instead {
    private static final Map<String, String> BY_PATH = Map.ofEntries(
            Map.entry("log", "pgha logs one line per event to stderr; under systemd the journal keeps it (journalctl -u pgha)"),
            Map.entry("ctl", "pgha's operator commands read the DCS and REST settings of pgha.yml (etcd3, restapi) instead"),
            Map.entry("citus", "no Citus support: a Citus cluster cannot be migrated"),
            Map.entry("bootstrap.users", "no users are created at bootstrap; a migrated cluster already has them, a new one gets them with CREATE ROLE after it is up"),
            Map.entry("bootstrap.post_init", "not run: a migrated cluster is bootstrapped already; run the script by hand on a new one"),
            Map.entry("bootstrap.post_bootstrap", "not run: a migrated cluster is bootstrapped already; run the script by hand on a new one"),
            Map.entry("bootstrap.method", "pgha bootstraps a new cluster with initdb only; irrelevant to a cluster that already runs"),
            Map.entry("postgresql.remove_data_directory_on_diverged_timelines",
                    "pgha never deletes a diverged data directory on its own: the member rewinds (use_pg_rewind) or stays stopped until `pgha reinit <member>`"),
            Map.entry("postgresql.recovery_conf", "pgha writes primary_conninfo itself; put restore_command in postgresql.parameters, or use the backup section"),
            Map.entry("postgresql.basebackup", "pgha clones a replica with pg_basebackup's options of its own choosing"),
            Map.entry("postgresql.pre_promote", "not run: pgha promotes once it holds the leader key; fence with the watchdog section instead"),
            Map.entry("postgresql.before_stop", "not run before a stop; an on_stop callback runs after it"),
            Map.entry("postgresql.custom_conf", "pgha keeps initdb's file as postgresql.base.conf and writes postgresql.conf itself: move the settings into postgresql.parameters"),
            Map.entry("postgresql.config_dir", "pgha reads and writes the configuration files in data_dir"),
            Map.entry("postgresql.pg_ident", "pgha leaves pg_ident.conf as it is in data_dir"),
            Map.entry("postgresql.proxy_address", "not published in the member key"),
            Map.entry("postgresql.use_unix_socket", "pgha connects to PostgreSQL over TCP at postgresql.listen"),
            Map.entry("postgresql.use_unix_socket_repl", "replicas connect to the primary over TCP at its connect_address"),
            Map.entry("postgresql.bin_name", "pgha runs the standard binary names from postgresql.bin_dir"),
            Map.entry("etcd3.use_proxies", "pgha talks to the hosts listed, without discovering the others"),
            Map.entry("etcd3.url", "list the endpoints under etcd3.hosts"),
            Map.entry("etcd3.srv", "list the endpoints under etcd3.hosts"),
            Map.entry("restapi.request_queue_size", "pgha's REST server queues requests without a fixed bound"));

    private Instead() {
    }

    static Optional<String> of(String path) {
        return Optional.ofNullable(BY_PATH.get(path))
                .or(() -> path.startsWith("bootstrap.") && !path.startsWith("bootstrap.dcs.")
                        ? Optional.of("a custom bootstrap method's section or a key pgha does not know: pgha bootstraps with initdb only")
                        : Optional.empty());
    }
}
