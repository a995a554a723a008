package io.pgha.provision.transport;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ShellTest {
    @Test
    void safeWordsStayAsTheyAre() {
        assertThat(Shell.quote("/etc/pgha/pgha.yml")).isEqualTo("/etc/pgha/pgha.yml");
        assertThat(Shell.quote("postgres:postgres")).isEqualTo("postgres:postgres");
    }

    @Test
    void everythingElseIsSingleQuoted() {
        assertThat(Shell.quote("")).isEqualTo("''");
        assertThat(Shell.quote("a b")).isEqualTo("'a b'");
        assertThat(Shell.quote("it's")).isEqualTo("'it'\\''s'");
        assertThat(Shell.quote("$(rm -rf /)")).isEqualTo("'$(rm -rf /)'");
    }

    @Test
    void aRealShellReadsTheWordsBack() throws Exception {
        List<String> words = List.of("plain", "", "two words", "it's", "\"double\"", "$HOME", "`id`", "back\\slash", "tab\there",
                "new\nline", "*", "~", "; exit 7", "ünïcode");
        // printf prints each argument between markers; sh -c parses the quoted line as a shell would.
        String line = "printf '<%s>' " + Shell.join(words);
        Process p = new ProcessBuilder("sh", "-c", line).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        StringBuilder expected = new StringBuilder();
        words.forEach(w -> expected.append('<').append(w).append('>'));
        assertThat(out).isEqualTo(expected.toString());
    }

    @Test
    void nestedQuotingSurvivesTwoShells() throws Exception {
        // What SshTransport sends: sh -c <quoted command>, itself parsed by the login shell.
        String inner = "printf '%s' " + Shell.quote("a 'b' \"c\" $d");
        Process p = new ProcessBuilder("sh", "-c", "sh -c " + Shell.quote(inner)).start();
        assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("a 'b' \"c\" $d");
        assertThat(p.waitFor()).isZero();
    }

    @Test
    void aLoginOtherThanRootGoesThroughSudo() {
        assertThat(SshTransport.remoteCommand(true, "echo 'x' $y")).isEqualTo("sh -c 'echo '\\''x'\\'' $y'");
        assertThat(SshTransport.remoteCommand(false, "id -u")).isEqualTo("sudo -n sh -c 'id -u'");
    }
}
