package io.pgha.config;


import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One node's {@code pgha.yml}: Patroni's file layout where Patroni has the concept, checked in full
 * when loaded. Any problem — missing or mistyped values, unknown keys, Patroni features pgha does not
 * support, timing rules — fails the load with a {@link ConfigException} listing all of them.
 *
 * <h2>Environment</h2>
 * These variables override the file, so secrets need not be in it; an empty value counts as unset:
 * <ul>
 *   <li>{@code PGHA_NAME}, {@code PGHA_SCOPE}, {@code PGHA_NAMESPACE}</li>
 *   <li>{@code PGHA_ETCD3_HOSTS} (comma-separated {@code host:port}; replaces {@code etcd3.host} and
 *       {@code etcd3.hosts}), {@code PGHA_ETCD3_USERNAME}, {@code PGHA_ETCD3_PASSWORD} (applied only
 *       when etcd3 is configured)</li>
 *   <li>{@code PGHA_RESTAPI_USERNAME}, {@code PGHA_RESTAPI_PASSWORD}</li>
 *   <li>{@code PGHA_SUPERUSER_USERNAME}, {@code PGHA_SUPERUSER_PASSWORD},
 *       {@code PGHA_REPLICATION_USERNAME}, {@code PGHA_REPLICATION_PASSWORD},
 *       {@code PGHA_REWIND_USERNAME}, {@code PGHA_REWIND_PASSWORD}</li>
 * </ul>
 * Any other {@code PGHA_*} variable is ignored, not rejected: other tools share the prefix.
 *
 * <p>{@link #toString()} (and {@link #redacted()}) never print a password or token, so the whole
 * config can be logged.
 *
 * @param namespace normalised by {@link Namespace#normalize}: a leading '/', no trailing '/'
 * @param bootstrapDcs {@code bootstrap.dcs}: the dynamic config written to the DCS when this node
 *                     bootstraps the cluster; afterwards the DCS {@code config} key is authoritative
 * @param vip     the {@code vip} section, unchecked beyond being a mapping (empty when absent)
 * @param haproxy the {@code haproxy} section, likewise
 * @param backup  the {@code backup} section: pgBackRest and the WAL archive; empty when absent
 */
public record PghaConfig(
        String scope,
        String namespace,
        String name,
        RestApiConfig restapi,
        DcsConfig dcs,
        DynamicConfig bootstrapDcs,
        PostgresqlConfig postgresql,
        WatchdogConfig watchdog,
        Tags tags,
        Map<String, Object> vip,
        Map<String, Object> haproxy,
        Optional<BackupConfig> backup) {

    public PghaConfig {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(restapi, "restapi");
        Objects.requireNonNull(dcs, "dcs");
        Objects.requireNonNull(bootstrapDcs, "bootstrapDcs");
        Objects.requireNonNull(postgresql, "postgresql");
        Objects.requireNonNull(watchdog, "watchdog");
        Objects.requireNonNull(tags, "tags");
        Objects.requireNonNull(backup, "backup");
        vip = Values.immutableMap(vip);
        haproxy = Values.immutableMap(haproxy);
    }

    /**
     * Reads and checks a file.
     *
     * @param env usually {@code System.getenv()}
     * @throws ConfigException for an unreadable file (one problem naming it), a YAML syntax error
     *                         (one problem with line and column), or every problem in the content
     */
    public static PghaConfig load(Path file, Map<String, String> env) {
        return PghaConfigReader.read(YamlSource.parse(YamlSource.readText(file), file.toString()), env);
    }

    /** Like {@link #load} for text already in memory. */
    public static PghaConfig parse(String yamlText, Map<String, String> env) {
        Objects.requireNonNull(yamlText, "yamlText");
        return PghaConfigReader.read(YamlSource.parse(yamlText, ""), env);
    }

    public Optional<Etcd3Config> etcd3() {
        return dcs instanceof Etcd3Config e ? Optional.of(e) : Optional.empty();
    }

    public Optional<ConsulConfig> consul() {
        return dcs instanceof ConsulConfig c ? Optional.of(c) : Optional.empty();
    }

    /** The timing of {@link #bootstrapDcs()}; checked at load, so this does not fail for a loaded config. */
    public Timing bootstrapTiming() {
        return Timing.resolve(bootstrapDcs, watchdog, "bootstrap.dcs").orElseThrow();
    }

    /**
     * The timing for a dynamic config read from the DCS, checked against this node's watchdog. An
     * invalid one should be refused (keep running on the last good timing), not adjusted.
     */
    public Validated<Timing> timing(DynamicConfig fromDcs) {
        return Timing.resolve(fromDcs, watchdog, "config");
    }

    /** The whole config in one line with passwords and tokens masked, for logs. */
    public String redacted() {
        return Redaction.describe(this);
    }

    @Override
    public String toString() {
        return redacted();
    }
}
