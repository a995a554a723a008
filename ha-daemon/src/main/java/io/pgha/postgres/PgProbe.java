package io.pgha.postgres;

import io.pgha.config.Credentials;
import io.pgha.config.PgSsl;
import io.pgha.ha.ReplicationPeer;
import io.pgha.node.Archiver;
import io.pgha.node.PgSnapshot;

import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The HA loop's one connection to the local PostgreSQL. Every call has a socket timeout so a hung
 * server costs one bounded wait, and a broken connection is reopened on the next call.
 */
public final class PgProbe implements AutoCloseable {
    private static final String STATUS = """
            SELECT pg_is_in_recovery(),
                   CASE WHEN pg_is_in_recovery() THEN 0 ELSE pg_wal_lsn_diff(pg_current_wal_flush_lsn(), '0/0')::bigint END,
                   COALESCE(pg_wal_lsn_diff(pg_last_wal_receive_lsn(), '0/0')::bigint, 0),
                   COALESCE(pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0')::bigint, 0),
                   pg_last_xact_replay_timestamp(),
                   CASE WHEN pg_is_in_recovery() THEN pg_is_wal_replay_paused() ELSE false END,
                   (SELECT system_identifier FROM pg_control_system())::text,
                   CASE WHEN pg_is_in_recovery()
                        THEN COALESCE((SELECT NULLIF(received_tli, 0) FROM pg_stat_get_wal_receiver()),
                                      (SELECT timeline_id FROM pg_control_checkpoint()))
                        ELSE ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::bigint END,
                   (SELECT status FROM pg_stat_get_wal_receiver()),
                   current_setting('server_version_num')::int,
                   pg_postmaster_start_time(),
                   current_setting('archive_mode'),
                   a.archived_count, a.failed_count, a.last_archived_time, a.last_failed_time,
                   (SELECT count(*) FROM pg_ls_archive_statusdir() WHERE name LIKE '%.ready'),
                   pg_size_bytes(current_setting('wal_segment_size'))
            FROM pg_stat_archiver a
            """;
    private static final String REPLICATION = "SELECT usename, application_name, COALESCE(host(client_addr), ''), state, sync_state, sync_priority, COALESCE(pg_wal_lsn_diff(flush_lsn, '0/0')::bigint, 0) FROM pg_stat_replication";
    private static final String PENDING = "SELECT name, setting FROM pg_settings WHERE pending_restart";

    private final String url;
    private final Properties props = new Properties();
    private Connection connection;
    /** The timeout of the last call, until the next status check: every other call fails at once meanwhile. */
    private SQLException unresponsive;

    public PgProbe(String host, int port, Credentials superuser, Duration socketTimeout) {
        this(host, port, superuser, PgSsl.NONE, socketTimeout);
    }

    /**
     * With the superuser's {@code sslmode} and {@code sslrootcert}. The JDBC driver reads client
     * keys only as PKCS#8 DER or PKCS#12, not libpq's PEM, so the probe shows no client certificate:
     * the superuser logs in with its password, from the passfile's twin in memory.
     */
    public PgProbe(String host, int port, Credentials superuser, PgSsl ssl, Duration socketTimeout) {
        ssl.mode().ifPresent(m -> props.setProperty("sslmode", m));
        ssl.rootCert().ifPresent(p -> props.setProperty("sslrootcert", p.toString()));
        this.url = "jdbc:postgresql://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/postgres";
        props.setProperty("user", superuser.username());
        props.setProperty("password", superuser.password());
        props.setProperty("connectTimeout", "2");
        props.setProperty("socketTimeout", Long.toString(Math.max(1, socketTimeout.toSeconds())));
        props.setProperty("ApplicationName", "pgha");
        props.setProperty("assumeMinServerVersion", "13");
    }

    /** A running server's status; throws SQLException when it cannot be reached or answered. */
    public synchronized PgSnapshot status() throws SQLException {
        unresponsive = null; // the one call that always asks afresh: once per HA cycle
        return withConnection(this::query);
    }

    @FunctionalInterface
    private interface Work<T> {
        T on(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work}, reopening once when a connection kept from before turns out broken (the
     * server restarted since): that is not news about the server, a fresh connection is.
     */
    private <T> T withConnection(Work<T> work) throws SQLException {
        if (unresponsive != null) {
            throw new SQLException("PostgreSQL did not answer within the query timeout (" + unresponsive.getMessage()
                    + "); not asking again before the next status check", "08006", unresponsive);
        }
        boolean reused = connection != null;
        try {
            return work.on(connection());
        } catch (SQLException e) {
            closeQuietly();
            if (timedOut(e)) {
                // A frozen or overloaded server: asking again, or asking the next question of this
                // cycle, would hold the HA loop (and the lease renewal) for another timeout each.
                unresponsive = e;
                throw e;
            }
            // Not only 08xxx: a server that shut down under a kept connection answers its next
            // query with the 57P01 it queued on the way out.
            if (reused) {
                try {
                    return work.on(connection());
                } catch (SQLException again) {
                    closeQuietly();
                    throw again;
                }
            }
            throw e;
        }
    }

    static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException || t instanceof SQLTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private PgSnapshot query(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(STATUS)) {
            rs.next();
            boolean inRecovery = rs.getBoolean(1);
            Timestamp replayTs = rs.getTimestamp(5);
            String receiver = rs.getString(9);
            Timestamp started = rs.getTimestamp(11);
            List<ReplicationPeer> replication = inRecovery ? List.of() : replication(c);
            Map<String, PgSnapshot.PendingChange> pending = pending(c);
            String mode = rs.getString(12);
            Archiver archiver = new Archiver("always".equals(mode) || "on".equals(mode) && !inRecovery, rs.getLong(13), rs.getLong(14),
                    Optional.ofNullable(rs.getTimestamp(15)).map(Timestamp::toInstant), Optional.ofNullable(rs.getTimestamp(16)).map(Timestamp::toInstant),
                    rs.getLong(17), rs.getLong(18));
            return new PgSnapshot("running", inRecovery ? "replica" : "primary", true, inRecovery,
                    Optional.ofNullable(rs.getString(7)), rs.getLong(8), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                    Optional.ofNullable(replayTs).map(Timestamp::toInstant), rs.getBoolean(6),
                    inRecovery ? ("streaming".equals(receiver) ? "streaming" : "in archive recovery") : "",
                    rs.getInt(10), Optional.ofNullable(started).map(Timestamp::toInstant), replication,
                    !pending.isEmpty(), pending, archiver);
        }
    }

    private static List<ReplicationPeer> replication(Connection c) throws SQLException {
        List<ReplicationPeer> rows = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(REPLICATION)) {
            while (rs.next()) {
                rows.add(new ReplicationPeer(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getInt(6), rs.getLong(7)));
            }
        }
        return rows;
    }

    private static Map<String, PgSnapshot.PendingChange> pending(Connection c) throws SQLException {
        Map<String, PgSnapshot.PendingChange> out = new HashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(PENDING)) {
            while (rs.next()) {
                out.put(rs.getString(1), new PgSnapshot.PendingChange(rs.getString(2), "(changed in the configuration file)"));
            }
        }
        return out;
    }

    /** Runs one statement (CHECKPOINT, pg_promote(), CREATE ROLE ...). */
    public synchronized String setting(String name) throws SQLException {
        return withConnection(c -> {
            try (var st = c.prepareStatement("SELECT current_setting(?)")) {
                st.setString(1, name);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
    }

    /** A primary's flush LSN as a byte position. */
    public synchronized long flushLsn() throws SQLException {
        return withConnection(c -> {
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT pg_wal_lsn_diff(pg_current_wal_flush_lsn(), '0/0')::bigint")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    public synchronized boolean inRecovery() throws SQLException {
        return withConnection(c -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_is_in_recovery()")) {
                rs.next();
                return rs.getBoolean(1);
            }
        });
    }

    /** How far a standby has received WAL (flushed by its WAL receiver); 0 when it receives nothing. */
    public synchronized long receivedLsn() throws SQLException {
        return withConnection(c -> {
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT COALESCE(pg_wal_lsn_diff(pg_last_wal_receive_lsn(), '0/0'), 0)::bigint")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    public synchronized void execute(String sql) throws SQLException {
        withConnection(c -> {
            try (Statement st = c.createStatement()) {
                return st.execute(sql);
            }
        });
    }

    /** Physical slots: name → active. */
    public synchronized Map<String, Boolean> physicalSlots() throws SQLException {
        return withConnection(c -> {
            Map<String, Boolean> out = new HashMap<>();
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT slot_name, active FROM pg_replication_slots WHERE slot_type = 'physical'")) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getBoolean(2));
                }
            }
            return out;
        });
    }

    public synchronized void createSlot(String name) throws SQLException {
        call("SELECT pg_create_physical_replication_slot(?, true)", name);
    }

    public synchronized void dropSlot(String name) throws SQLException {
        call("SELECT pg_drop_replication_slot(?)", name);
    }

    private void call(String sql, String arg) throws SQLException {
        withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, arg);
                return ps.execute();
            }
        });
    }

    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = DriverManager.getConnection(url, props);
            connection.setAutoCommit(true);
        }
        return connection;
    }

    private void closeQuietly() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already broken
            }
            connection = null;
        }
    }

    @Override
    public synchronized void close() {
        closeQuietly();
    }
}
