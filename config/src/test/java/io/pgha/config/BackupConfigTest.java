package io.pgha.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class BackupConfigTest {
    @Test
    void aRepositoryIsAllItNeeds() {
        PghaConfig c = Fixture.minimal().set("backup.repo_path", "/pg/backup").parse();
        BackupConfig b = c.backup().orElseThrow();
        assertThat(b.repoPath()).isEqualTo(Path.of("/pg/backup"));
        assertThat(b.retentionFull()).isEqualTo(2);
        assertThat(b.stanzaOr(c.scope())).isEqualTo(c.scope());
        assertThat(b.configFileFor(Path.of("/pg/data"))).isEqualTo(Path.of("/pg/data.pgbackrest.conf"));
        assertThat(Fixture.minimal().parse().backup()).isEmpty();
    }

    @Test
    void pgBackRestOptionsPassThroughButNotTheOnesPghaSets() {
        PghaConfig c = Fixture.minimal().set("backup.repo_path", "/pg/backup").set("backup.options.compress-type", "zst")
                .set("backup.options.repo1-bundle", true).parse();
        assertThat(c.backup().orElseThrow().options()).containsEntry("compress-type", "zst").containsEntry("repo1-bundle", "y");
        assertThat(Fixture.minimal().set("backup.repo_path", "/pg/backup").set("backup.options.pg1-path", "/elsewhere")
                .set("backup.options.Repo_Type", "s3").problems())
                .containsExactlyInAnyOrder(
                        "backup.options.pg1-path: set by pgha from repo_path, retention_full, stanza and the postgresql section; not here",
                        "backup.options.Repo_Type: expected a pgBackRest option name (lower case and '-', e.g. repo1-type), got \"Repo_Type\"");
    }

    @Test
    void replicasFromTheRepositoryNeedOne() {
        assertThat(Fixture.minimal().set("postgresql.create_replica_methods", java.util.List.of("pgbackrest", "basebackup")).problems())
                .containsExactly("postgresql.create_replica_methods: pgbackrest needs a backup section (the repository to restore from)");
        assertThat(Fixture.minimal().set("postgresql.create_replica_methods", java.util.List.of("pgbackrest", "basebackup"))
                .set("backup.repo_path", "/pg/backup").parse().postgresql().createReplicaMethods()).containsExactly("pgbackrest", "basebackup");
    }

    @Test
    void mistakesAreNamed() {
        assertThat(Fixture.minimal().set("backup.retention_full", 0).set("backup.stanza", "a/b").set("backup.schedule.full", "0 25 * * *")
                .problems())
                .containsExactlyInAnyOrder("backup.repo_path: required (the pgBackRest repository every member reaches, e.g. /pg/backup)",
                        "backup.retention_full: must be ≥ 1 (got 0)",
                        "backup.stanza: expected letters, digits, '_', '.' and '-', got \"a/b\"",
                        "backup.schedule.full: not a cron schedule: hour: 25 is outside 0-23");
    }

    @Test
    void theScheduleIsNightlyFullAndDiffsBetweenUnlessSaidOtherwise() {
        BackupConfig b = Fixture.minimal().set("backup.repo_path", "/pg/backup").parse().backup().orElseThrow();
        assertThat(b.full().orElseThrow()).hasToString("0 1 * * *");
        assertThat(b.diff().orElseThrow()).hasToString("0 */6 * * *");
        BackupConfig off = Fixture.minimal().set("backup.repo_path", "/pg/backup").set("backup.schedule", "off").parse().backup().orElseThrow();
        assertThat(off.scheduled()).isFalse();
        BackupConfig fullOnly = Fixture.minimal().set("backup.repo_path", "/pg/backup").set("backup.schedule.full", "30 2 * * 0")
                .set("backup.schedule.diff", "off").parse().backup().orElseThrow();
        assertThat(fullOnly.full().orElseThrow()).hasToString("30 2 * * 0");
        assertThat(fullOnly.diff()).isEmpty();
    }
}
