package io.pgha.config;


import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Turns a parsed {@code pgha.yml} tree into a {@link PghaConfig}, collecting every problem on the way. */
final class PghaConfigReader {
    static final String PLACEHOLDER_NAME = "__patroni_strict_sync_replica_placeholder__";

    private static final Keys TOP = Keys.of("scope", "namespace", "name", "restapi", "etcd3", "consul", "bootstrap",
                    "postgresql", "watchdog", "tags", "vip", "haproxy", "backup")
            .unsupported("etcd", "pgha speaks etcd v3: use etcd3")
            .unsupported("kubernetes", "zookeeper", "exhibitor", "raft", "citus", "log", "ctl",
                    "thread_pool_size", "thread_stack_size");
    private static final Keys BOOTSTRAP = Keys.of("dcs", "initdb")
            .unsupported("method", "post_bootstrap", "post_init", "users", "pg_hba");

    private PghaConfigReader() {
    }

    static PghaConfig read(Object document, Map<String, String> env) {
        if (document == null) {
            throw new ConfigException(new ConfigProblem(YamlSource.FILE, "is empty; expected a mapping with scope, name, restapi, postgresql and etcd3 or consul"));
        }
        if (!(document instanceof Map<?, ?>)) {
            throw new ConfigException(new ConfigProblem(YamlSource.FILE, "expected a mapping at the top level, got " + Values.describe(document)));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> tree = (Map<String, Object>) Values.plain(document);
        Problems problems = new Problems(EnvOverrides.apply(tree, env));
        Node root = Node.root(tree, "", problems);
        root.mapping(TOP);

        Optional<String> scope = clusterName(root.get("scope").required("or set PGHA_SCOPE"));
        Optional<String> namespace = root.get("namespace").string();
        Optional<String> name = clusterName(root.get("name").required("or set PGHA_NAME"));
        name.filter(PLACEHOLDER_NAME::equals).ifPresent(n -> root.get("name").problem("is reserved"));
        RestApiConfig restapi = RestApiConfig.read(root.get("restapi"));
        DcsConfig dcs = dcs(root);
        Node bootstrap = root.get("bootstrap");
        bootstrap.mapping(BOOTSTRAP);
        DynamicConfig bootstrapDcs = DynamicConfig.read(bootstrap.get("dcs"));
        if (bootstrapDcs != null) {
            checkBootstrapDcs(bootstrapDcs, problems);
        }
        PostgresqlConfig postgresql = PostgresqlConfig.read(root.get("postgresql"), bootstrap.get("initdb"));
        WatchdogConfig watchdog = WatchdogConfig.read(root.get("watchdog"));
        Tags tags = Tags.read(root.get("tags"));
        Map<String, Object> vip = opaque(root.get("vip"));
        Map<String, Object> haproxy = opaque(root.get("haproxy"));
        Optional<BackupConfig> backup = BackupConfig.read(root.get("backup"));
        if (postgresql != null && backup != null && backup.isEmpty() && postgresql.createReplicaMethods().contains("pgbackrest")) {
            root.get("postgresql").get("create_replica_methods").problem("pgbackrest needs a backup section (the repository to restore from)");
        }
        if (bootstrapDcs != null && watchdog != null) {
            problems.addAll(Timing.resolve(bootstrapDcs, watchdog, "bootstrap.dcs").problems());
        }
        if (dcs instanceof ConsulConfig && bootstrapDcs != null) {
            Duration ttl = bootstrapDcs.ttl().orElse(bootstrapDcs.rto().ttl());
            if (ttl.compareTo(ConsulConfig.MIN_SESSION_TTL) < 0) {
                problems.add("bootstrap.dcs.ttl", "must be ≥ 10 with consul: Consul refuses session TTLs below 10 s (got "
                        + Seconds.format(ttl) + " s" + (bootstrapDcs.ttl().isEmpty() ? " from rto " + bootstrapDcs.rto().key() : "") + ")");
            }
        }
        problems.throwIfAny();

        String ns = Namespace.normalize(namespace.orElse(Namespace.DEFAULT));
        return new PghaConfig(scope.orElseThrow(), ns, name.orElseThrow(), restapi, dcs, bootstrapDcs, postgresql,
                watchdog, tags, vip, haproxy, backup);
    }

    /**
     * bootstrap.dcs keeps Patroni keys pgha does not use, as the DCS config does; but in a file an
     * operator is editing, a near-miss of a pgha key is a typo.
     */
    private static void checkBootstrapDcs(DynamicConfig dcs, Problems problems) {
        problems.addAll(dcs.likelyTypos("bootstrap.dcs"));
    }

    /** Scope and member names become DCS key segments, so they cannot contain '/'. */
    private static Optional<String> clusterName(Node n) {
        return n.string().filter(s -> {
            if (s.contains("/")) {
                n.problem("must not contain '/', got " + Values.describe(s));
                return false;
            }
            if (!s.equals(s.trim())) {
                n.problem("must not start or end with whitespace, got " + Values.describe(s));
                return false;
            }
            return true;
        });
    }

    private static DcsConfig dcs(Node root) {
        boolean etcd = root.keys().contains("etcd3");
        boolean consul = root.keys().contains("consul");
        Etcd3Config etcd3 = etcd ? Etcd3Config.read(root.get("etcd3")) : null;
        ConsulConfig consulConfig = consul ? ConsulConfig.read(root.get("consul")) : null;
        if (etcd && consul) {
            root.get("consul").problem("cannot be combined with etcd3: configure exactly one of etcd3 or consul");
            return null;
        }
        if (!etcd && !consul) {
            root.get("etcd3").problem("required: configure exactly one of etcd3 or consul");
            return null;
        }
        return etcd ? etcd3 : consulConfig;
    }

    /** Sections whose shape a later part of pgha defines: only "is a mapping" is checked here. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> opaque(Node n) {
        if (!n.isPresent() || !n.mapping()) {
            return Map.of();
        }
        return (Map<String, Object>) n.value();
    }
}
