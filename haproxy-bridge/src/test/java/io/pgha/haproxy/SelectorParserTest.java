package io.pgha.haproxy;

import io.pgha.haproxy.service.MemberFacts;
import io.pgha.haproxy.service.Selector;
import io.pgha.haproxy.service.SelectorParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SelectorParserTest {
    static final MemberFacts LEADER = new MemberFacts("n1", true, Map.of());
    static final MemberFacts REPLICA = new MemberFacts("n2", false, Map.of());
    static final MemberFacts OFFLINE = new MemberFacts("n3", false, Map.of("offline", true));
    static final MemberFacts OFFLINE_AS_TEXT = new MemberFacts("n4", false, Map.of("offline", "TRUE"));

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            // selector                          ; leader; replica; offline; offline "TRUE"
            "*                                   ; true  ; true   ; true   ; true",
            "[]                                  ; true  ; true   ; true   ; true",
            "primary                             ; true  ; false  ; false  ; false",
            "replica                             ; false ; true   ; true   ; true",
            "tag:offline                         ; false ; false  ; true   ; true",
            "primary || tag:offline              ; true  ; false  ; true   ; true",
            "replica && !tag:offline             ; false ; true   ; false  ; false",
            "!(primary || tag:offline)           ; false ; true   ; false  ; false",
            "replica && tag:offline || primary   ; true  ; false  ; true   ; true",
    })
    void pigstysSelectorsInPghaTerms(String text, boolean leader, boolean replica, boolean offline, boolean offlineText) {
        Selector s = SelectorParser.parse(text);
        assertThat(s.matches(LEADER)).as("leader").isEqualTo(leader);
        assertThat(s.matches(REPLICA)).as("replica").isEqualTo(replica);
        assertThat(s.matches(OFFLINE)).as("offline").isEqualTo(offline);
        assertThat(s.matches(OFFLINE_AS_TEXT)).as("offline as \"TRUE\"").isEqualTo(offlineText);
        assertThat(SelectorParser.parse(s.toString())).as("round trip of " + s).isEqualTo(s);
    }

    @Test
    void knowsWhetherTheLeaderMatters() {
        assertThat(SelectorParser.parse("tag:offline || *").dependsOnLeader()).isFalse();
        assertThat(SelectorParser.parse("!primary").dependsOnLeader()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "prmary                  ; unknown term \"prmary\"",
            "primary ||              ; ends too early",
            "(primary                ; missing )",
            "primary replica         ; unexpected \"replica\"",
            "pg_role == `primary`    ; position 9",
            "'   '                   ; is empty",
    })
    void badSelectorsAreRefusedWithWhereAndWhat(String text, String message) {
        assertThatThrownBy(() -> SelectorParser.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }
}
