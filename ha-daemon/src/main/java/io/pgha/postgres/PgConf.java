package io.pgha.postgres;

import io.pgha.config.Credentials;
import io.pgha.config.PostgresqlConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Writes the files PostgreSQL reads at start: {@code postgresql.conf} (initdb's own file kept as
 * {@code postgresql.base.conf} and included), {@code pg_hba.conf}, {@code standby.signal} and the
 * passfile. Everything is rewritten from config before every start and every re-point, so a data
 * directory copied by pg_basebackup or pg_rewind never carries another node's settings.
 */
public final class PgConf {
    static final String BASE = "postgresql.base.conf";
    /** Settings replication and pg_rewind depend on; config may raise the numbers, not disable them. */
    private static final Map<String, String> DEFAULTS = Map.of(
            "wal_level", "replica",
            "hot_standby", "on",
            "wal_log_hints", "on",
            "max_wal_senders", "10",
            "max_replication_slots", "10",
            "wal_keep_size", "128MB",
            "hot_standby_feedback", "on",
            "wal_receiver_status_interval", "1s",
            "wal_retrieve_retry_interval", "500ms");
    private static final List<String> DEFAULT_HBA = List.of(
            "local all all peer",
            "host all all 127.0.0.1/32 scram-sha-256",
            "host all all ::1/128 scram-sha-256",
            "host all all 0.0.0.0/0 scram-sha-256",
            "host all all ::/0 scram-sha-256",
            "host replication all 0.0.0.0/0 scram-sha-256",
            "host replication all ::/0 scram-sha-256");

    private final PostgresqlConfig config;
    private final String clusterName;
    private final PgOsUser user;

    public PgConf(PostgresqlConfig config, String clusterName, PgOsUser user) {
        this.config = config;
        this.clusterName = clusterName;
        this.user = user;
    }

    /** The passfile libpq tools use for every user pgha connects as. */
    public Path passfile() {
        return config.pgpass().orElse(config.dataDir().resolveSibling(config.dataDir().getFileName() + ".pgpass"));
    }

    public void writePassfile() {
        StringBuilder b = new StringBuilder();
        var auth = config.authentication();
        line(b, auth.superuser());
        line(b, auth.replication());
        auth.rewind().ifPresent(r -> line(b, r));
        user.writePrivate(passfile(), b.toString());
    }

    private static void line(StringBuilder b, Credentials c) {
        b.append("*:*:*:").append(escape(c.username())).append(':').append(escape(c.password())).append('\n');
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace(":", "\\:");
    }

    /**
     * @param upstream the member to stream from when starting as a standby; empty for a primary, or
     *                 for a standby without an upstream yet (it then stays read-only on its own WAL)
     * @param standby  whether to start in recovery
     * @param dynamicParameters {@code postgresql.parameters} from the DCS config; local ones win
     */
    public void write(boolean standby, Optional<Upstream> upstream, String memberName, Map<String, String> dynamicParameters) {
        Path data = config.dataDir();
        try {
            Path conf = data.resolve("postgresql.conf");
            Path base = data.resolve(BASE);
            if (!Files.exists(base) && Files.exists(conf)) {
                Files.move(conf, base); // initdb's file, kept verbatim
                user.own(base);
            }
            user.writePrivate(conf, render(standby, upstream, memberName, dynamicParameters));
            user.writePrivate(data.resolve("pg_hba.conf"), String.join("\n", config.pgHba().isEmpty() ? DEFAULT_HBA : config.pgHba()) + "\n");
            Path signal = data.resolve("standby.signal");
            if (standby) {
                user.writePrivate(signal, "");
            } else {
                Files.deleteIfExists(signal);
            }
            // recovery.signal would start targeted recovery and then promote: never ours to keep.
            Files.deleteIfExists(data.resolve("recovery.signal"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write configuration into " + data, e);
        }
    }

    String render(boolean standby, Optional<Upstream> upstream, String memberName, Map<String, String> dynamicParameters) {
        Map<String, String> p = new LinkedHashMap<>(DEFAULTS);
        p.putAll(dynamicParameters);
        p.putAll(config.parameters());
        p.put("listen_addresses", listenAddresses());
        p.put("port", Integer.toString(config.listen().port()));
        p.put("cluster_name", clusterName);
        p.put("recovery_target_timeline", "latest");
        if (standby && upstream.isPresent()) {
            var auth = config.authentication();
            p.put("primary_conninfo", upstream.get().conninfo(auth.replication().username(),
                    passfile().toString(), memberName, null, auth.replicationSsl()));
            p.put("primary_slot_name", upstream.get().remote() ? upstream.get().remoteSlot().orElse("") : slotName(memberName));
        } else {
            p.put("primary_conninfo", "");
            p.put("primary_slot_name", "");
        }
        StringBuilder b = new StringBuilder("# Written by pgha before every start and re-point; edit pgha.yml or the DCS config instead.\n");
        b.append("include '").append(BASE).append("'\n");
        p.forEach((k, v) -> b.append(k).append(" = '").append(v.replace("'", "''")).append("'\n"));
        return b.toString();
    }

    private String listenAddresses() {
        String host = config.listen().host();
        return host.equals("0.0.0.0") || host.equals("::") ? "*" : host;
    }

    /** Patroni's rule, so slots survive a migration: lower case, anything else becomes '_'. */
    public static String slotName(String member) {
        return member.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    }
}
