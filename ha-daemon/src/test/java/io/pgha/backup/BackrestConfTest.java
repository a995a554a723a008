package io.pgha.backup;

import io.pgha.config.BackupConfig;
import io.pgha.config.PghaConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class BackrestConfTest {
    static final String YML = """
            scope: pg-test
            name: pg-test-1
            restapi: {listen: 0.0.0.0:8008, connect_address: 10.0.0.11:8008}
            etcd3: {hosts: 10.0.0.10:2379}
            postgresql:
              listen: 0.0.0.0:5433
              connect_address: 10.0.0.11:5433
              data_dir: /pg/data
              authentication:
                superuser: {username: dbuser_dba, password: x}
                replication: {username: replicator, password: y}
              parameters: {unix_socket_directories: '/run/pg, /tmp'}
            backup:
              repo_path: /pg/backup
              retention_full: 3
              options: {compress-type: zst}
            """;

    @Test
    void theStanzaNamesThisMembersDataDirectoryPortSocketAndSuperuser() throws Exception {
        PghaConfig c = PghaConfig.parse(YML, Map.of());
        BackrestConf conf = new BackrestConf(c.backup().orElseThrow(), c.postgresql(), c.scope());
        assertThat(conf.render()).contains("[global]\nrepo1-path=/pg/backup\nrepo1-retention-full=3\n", "compress-type=zst\n",
                "[pg-test]\npg1-path=/pg/data\npg1-port=5433\npg1-socket-path=/run/pg\npg1-user=dbuser_dba\n");
        assertThat(conf.file()).isEqualTo(Path.of("/pg/data.pgbackrest.conf"));
    }

    @Test
    void everyMemberArchivesAndCanFetchWalBack() throws Exception {
        PghaConfig c = PghaConfig.parse(YML, Map.of());
        Map<String, String> p = new BackrestConf(c.backup().orElseThrow(), c.postgresql(), c.scope()).archiveParameters();
        assertThat(p).containsEntry("archive_mode", "on")
                .containsEntry("archive_command", "/usr/bin/pgbackrest --config=/pg/data.pgbackrest.conf --stanza=pg-test archive-push %p")
                .containsEntry("restore_command", "/usr/bin/pgbackrest --config=/pg/data.pgbackrest.conf --stanza=pg-test archive-get %f \"%p\"");
    }

    @Test
    void aStanzaOfItsOwnIsKept() {
        BackupConfig b = new BackupConfig(Optional.of("archive-east"), Path.of("/r"), 1, Map.of(), Path.of("/usr/bin/pgbackrest"), Optional.empty(),
                Optional.empty(), Optional.empty());
        assertThat(b.stanzaOr("pg-test")).isEqualTo("archive-east");
    }
}
