package io.pgha.backup;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** pgBackRest's {@code info --output=json}, in the shape 2.45 prints. */
class RepositoryInfoTest {
    static final String TWO_BACKUPS = """
            [{"archive":[{"database":{"id":1,"repo-key":1},"id":"15-1","max":"000000020000000000000007","min":"000000010000000000000003"}],
              "backup":[
                {"annotation":{"pgha-member":"node1"},"archive":{"start":"000000010000000000000003","stop":"000000010000000000000003"},
                 "info":{"delta":31294566,"repository":{"delta":4026771,"size":4026771},"size":31294566},
                 "label":"20261207-120000F","lsn":{"start":"0/3000028","stop":"0/3000100"},"prior":null,
                 "timestamp":{"start":1796644800,"stop":1796644803},"type":"full"},
                {"archive":{"start":"000000020000000000000006","stop":"000000020000000000000006"},
                 "info":{"delta":65536,"repository":{"delta":8192,"size":4030000},"size":31294566},
                 "label":"20261207-120000F_20261207-130000D","lsn":{"start":"0/6000028","stop":"0/6000100"},"prior":"20261207-120000F",
                 "timestamp":{"start":1796648400,"stop":1796648401},"type":"diff"}],
              "cipher":"none","db":[{"id":1,"repo-key":1,"system-id":7268616322854375442,"version":"15"}],
              "name":"pg-test","repo":[{"cipher":"none","key":1,"status":{"code":0,"message":"ok"}}],
              "status":{"code":0,"lock":{"backup":{"held":false}},"message":"ok"}},
             {"name":"other","status":{"code":0,"message":"ok"},"backup":[]}]
            """;

    @Test
    void readsTheBackupsOfItsStanzaOldestFirstWithTheMemberThatTookThem() {
        RepositoryInfo info = RepositoryInfo.parse(TWO_BACKUPS, "pg-test");
        assertThat(info.exists()).isTrue();
        assertThat(info.backups()).extracting(BackupSet::type).containsExactly("full", "diff");
        BackupSet full = info.backups().get(0);
        assertThat(full.label()).isEqualTo("20261207-120000F");
        assertThat(full.stop()).isEqualTo(Instant.ofEpochSecond(1796644803));
        assertThat(full.lsnStart()).isEqualTo("0/3000028");
        assertThat(full.size()).isEqualTo(31294566);
        assertThat(full.member()).contains("node1");
        assertThat(info.backups().get(1).member()).as("a backup pgha did not take").isEmpty();
        assertThat(info.archiveMin()).contains("000000010000000000000003");
        assertThat(info.archiveMax()).contains("000000020000000000000007");
        assertThat(info.earliestRestorable()).contains(Instant.ofEpochSecond(1796644803));
        assertThat(info.latest().orElseThrow().type()).isEqualTo("diff");
    }

    @Test
    void aStanzaNotInTheRepositoryIsMissing() {
        assertThat(RepositoryInfo.parse(TWO_BACKUPS, "pg-absent").exists()).isFalse();
        assertThat(RepositoryInfo.parse("[{\"name\":\"pg-new\",\"status\":{\"code\":1,\"message\":\"missing stanza path\"}}]", "pg-new").exists())
                .isFalse();
    }

    @Test
    void anAnswerThatIsNotJsonIsNamed() {
        assertThatThrownBy(() -> RepositoryInfo.parse("ERROR: [055]: unable to load info file", "pg-test"))
                .isInstanceOf(BackupException.class).hasMessageContaining("did not answer JSON: ERROR: [055]");
    }
}
