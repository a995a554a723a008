package io.pgha.backup;

import io.pgha.config.BackupConfig;
import io.pgha.config.PostgresqlConfig;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * pgBackRest's configuration for one member, written by pgha from the {@code backup} and
 * {@code postgresql} sections so that the two can never disagree about the data directory, port
 * or stanza. The archive settings PostgreSQL gets go through the same file.
 */
public final class BackrestConf {
    private final BackupConfig backup;
    private final PostgresqlConfig postgresql;
    private final String stanza;

    public BackrestConf(BackupConfig backup, PostgresqlConfig postgresql, String scope) {
        this.backup = backup;
        this.postgresql = postgresql;
        this.stanza = backup.stanzaOr(scope);
    }

    public String stanza() {
        return stanza;
    }

    public Path file() {
        return backup.configFileFor(postgresql.dataDir());
    }

    public Path executable() {
        return backup.pgbackrest();
    }

    public String render() {
        Map<String, String> global = new LinkedHashMap<>();
        global.put("repo1-path", backup.repoPath().toString());
        global.put("repo1-retention-full", Integer.toString(backup.retentionFull()));
        global.put("start-fast", "y");
        // pgha reports pgBackRest's console output; a log file would need a directory the package does not own.
        global.put("log-level-file", "off");
        global.putAll(backup.options());
        StringBuilder b = new StringBuilder("# Written by pgha from pgha.yml (backup, postgresql); edit that instead.\n[global]\n");
        global.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
        b.append('\n').append('[').append(stanza).append("]\n");
        b.append("pg1-path=").append(postgresql.dataDir()).append('\n');
        b.append("pg1-port=").append(postgresql.listen().port()).append('\n');
        b.append("pg1-socket-path=").append(socketDirectory()).append('\n');
        b.append("pg1-user=").append(postgresql.authentication().superuser().username()).append('\n');
        return b.toString();
    }

    /** The first of unix_socket_directories, where pgBackRest finds the local server. */
    String socketDirectory() {
        String dirs = postgresql.parameters().getOrDefault("unix_socket_directories", "/var/run/postgresql");
        return dirs.split(",")[0].strip();
    }

    /** What every member's postgresql.conf gets: WAL goes to the archive, and comes back from it when streaming cannot serve it. */
    public Map<String, String> archiveParameters() {
        String base = executable() + " --config=" + file() + " --stanza=" + stanza;
        Map<String, String> p = new LinkedHashMap<>();
        p.put("archive_mode", "on");
        p.put("archive_command", base + " archive-push %p");
        p.put("restore_command", base + " archive-get %f \"%p\"");
        return p;
    }
}
