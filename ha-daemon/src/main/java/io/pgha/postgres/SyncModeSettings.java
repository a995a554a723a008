package io.pgha.postgres;

import java.sql.SQLException;

/** The settings synchronous mode changes on a serving leader, without rewriting its configuration. */
final class SyncModeSettings {
    private final PgProbe probe;

    SyncModeSettings(PgProbe probe) {
        this.probe = probe;
    }

    String synchronousStandbyNames() throws SQLException {
        return probe.setting("synchronous_standby_names");
    }

    /**
     * Sets synchronous_standby_names through ALTER SYSTEM (postgresql.auto.conf wins over the file we
     * render) and reloads: the leader changes it while serving, without rewriting its configuration.
     */
    void setSynchronousStandbyNames(String value) throws SQLException {
        probe.execute("ALTER SYSTEM SET synchronous_standby_names = '" + value.replace("'", "''") + "'");
        probe.execute("SELECT pg_reload_conf()");
    }

    /** Whether new transactions start read-only: how strict synchronous mode rejects writes. */
    boolean defaultReadOnly() throws SQLException {
        return "on".equals(probe.setting("default_transaction_read_only"));
    }

    /**
     * Through ALTER SYSTEM like synchronous_standby_names, so that it survives a restart; a session
     * that turns it off for itself still cannot commit unprotected, the GUC makes it wait.
     */
    void setDefaultReadOnly(boolean on) throws SQLException {
        probe.execute(on ? "ALTER SYSTEM SET default_transaction_read_only = on" : "ALTER SYSTEM RESET default_transaction_read_only");
        probe.execute("SELECT pg_reload_conf()");
    }
}
