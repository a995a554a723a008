package io.pgha.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The local {@code postgresql} section. {@code listen.host()} is PostgreSQL's listen_addresses
 * verbatim (it may be {@code *} or a comma-separated list); {@code connectAddress} is what other
 * nodes and {@code conn_url} use.
 */
public record PostgresqlConfig(
        HostPort listen,
        HostPort connectAddress,
        Path dataDir,
        Path binDir,
        Optional<Path> pgpass,
        PostgresqlAuthentication authentication,
        Map<String, String> parameters,
        List<String> pgHba,
        Map<CallbackEvent, String> callbacks,
        boolean usePgRewind,
        boolean removeDataDirectoryOnRewindFailure,
        Duration pgCtlTimeout,
        List<InitdbOption> initdb,
        List<String> createReplicaMethods) {

    public static final HostPort DEFAULT_LISTEN = new HostPort("0.0.0.0", 5432);
    public static final Path DEFAULT_BIN_DIR = Path.of("/usr/lib/postgresql/15/bin");
    public static final Duration DEFAULT_PG_CTL_TIMEOUT = Duration.ofSeconds(60);
    public static final List<String> DEFAULT_CREATE_REPLICA_METHODS = List.of("basebackup");
    /** pg_basebackup from the leader, or a restore from the backup section's pgBackRest repository. */
    static final List<String> CREATE_REPLICA_METHODS = List.of("basebackup", "pgbackrest");

    static final Keys KEYS = Keys.of("listen", "connect_address", "data_dir", "bin_dir", "pgpass", "authentication",
                    "parameters", "pg_hba", "callbacks", "use_pg_rewind", "remove_data_directory_on_rewind_failure",
                    "pg_ctl_timeout", "initdb", "create_replica_methods")
            .unsupported("proxy_address", "config_dir", "bin_name", "custom_conf", "pg_ident", "pre_promote", "before_stop",
                    "use_unix_socket", "use_unix_socket_repl", "rewind", "recovery_conf", "basebackup",
                    "remove_data_directory_on_diverged_timelines");
    private static final Keys CALLBACK_KEYS = Keys.of(CallbackEvent.keys().toArray(String[]::new));

    public PostgresqlConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(connectAddress, "connectAddress");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(binDir, "binDir");
        Objects.requireNonNull(pgpass, "pgpass");
        Objects.requireNonNull(authentication, "authentication");
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        pgHba = List.copyOf(pgHba);
        callbacks = callbacks.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(callbacks));
        Objects.requireNonNull(pgCtlTimeout, "pgCtlTimeout");
        initdb = List.copyOf(initdb);
        createReplicaMethods = List.copyOf(createReplicaMethods);
    }

    @Override
    public String toString() {
        return Redaction.describe(this);
    }

    /**
     * @param bootstrapInitdb {@code bootstrap.initdb}, where Patroni keeps initdb options; accepted
     *                        so Patroni files load, but only one of the two places may be used
     */
    static PostgresqlConfig read(Node n, Node bootstrapInitdb) {
        int mark = n.problems().mark();
        if (!n.mapping(KEYS)) {
            return null;
        }
        HostPort listen = n.get("listen").listenAddress().orElse(DEFAULT_LISTEN);
        Optional<HostPort> connect = n.get("connect_address").required().hostPort();
        Optional<Path> dataDir = n.get("data_dir").required().absolutePath();
        Path binDir = n.get("bin_dir").filePath().orElse(DEFAULT_BIN_DIR);
        Optional<Path> pgpass = n.get("pgpass").filePath();
        PostgresqlAuthentication auth = PostgresqlAuthentication.read(n.get("authentication"));
        Map<String, String> parameters = Parameters.read(n.get("parameters"));
        List<String> pgHba = n.get("pg_hba").strings();
        Map<CallbackEvent, String> callbacks = callbacks(n.get("callbacks"));
        boolean rewind = n.get("use_pg_rewind").bool(true);
        boolean removeOnRewindFailure = n.get("remove_data_directory_on_rewind_failure").bool(false);
        Duration pgCtlTimeout = n.get("pg_ctl_timeout").positiveSeconds().orElse(DEFAULT_PG_CTL_TIMEOUT);
        List<InitdbOption> initdb = initdb(n.get("initdb"), bootstrapInitdb);
        List<String> methods = createReplicaMethods(n.get("create_replica_methods"));
        if (n.problems().addedSince(mark)) {
            return null;
        }
        return new PostgresqlConfig(listen, connect.orElseThrow(), dataDir.orElseThrow(), binDir, pgpass, auth, parameters,
                pgHba, callbacks, rewind, removeOnRewindFailure, pgCtlTimeout, initdb, methods);
    }


    private static Map<CallbackEvent, String> callbacks(Node n) {
        Map<CallbackEvent, String> out = new EnumMap<>(CallbackEvent.class);
        if (!n.mapping(CALLBACK_KEYS)) {
            return out;
        }
        n.entries().forEach((key, command) -> CallbackEvent.ofKey(key)
                .ifPresent(event -> command.string().ifPresent(c -> out.put(event, c))));
        return out;
    }

    private static List<InitdbOption> initdb(Node local, Node bootstrap) {
        if (local.isPresent() && bootstrap.isPresent()) {
            bootstrap.problem("also given as " + local.path() + "; keep one");
        }
        List<InitdbOption> fromLocal = InitdbOption.read(local);
        List<InitdbOption> fromBootstrap = InitdbOption.read(bootstrap);
        if (fromLocal != null) {
            return fromLocal;
        }
        return fromBootstrap != null ? fromBootstrap : InitdbOption.DEFAULTS;
    }

    private static List<String> createReplicaMethods(Node n) {
        if (!n.isPresent()) {
            return DEFAULT_CREATE_REPLICA_METHODS;
        }
        List<String> out = new ArrayList<>();
        List<Node> items = n.items();
        for (Node item : items) {
            item.required().string().ifPresent(method -> {
                if (CREATE_REPLICA_METHODS.contains(method)) {
                    out.add(method);
                } else {
                    item.problem(method + " is not supported by pgha (basebackup or pgbackrest)");
                }
            });
        }
        if (items.isEmpty() && n.value() instanceof List<?>) {
            n.problem("must list at least one method");
        }
        return out;
    }
}
