package io.pgha.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HostPortTest {

    @Test
    void parsesNamesIpv4AndBracketedIpv6() {
        assertThat(HostPort.parse("db-1.example.com:5432")).contains(new HostPort("db-1.example.com", 5432));
        assertThat(HostPort.parse("10.0.0.1:8008")).contains(new HostPort("10.0.0.1", 8008));
        assertThat(HostPort.parse("[::1]:2379")).contains(new HostPort("::1", 2379));
        assertThat(new HostPort("::1", 2379).toString()).isEqualTo("[::1]:2379");
        assertThat(new HostPort("10.0.0.1", 1).toString()).isEqualTo("10.0.0.1:1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "8008", "8008x", "host:", ":80", "host:0", "host:65536", "host:-1", "host:80a",
            "::1:80", "[zz]:80", "a b:80", "host:123456", "*:80", "a,b:80"})
    void rejects(String text) {
        assertThat(HostPort.parse(text)).isEmpty();
    }

    @Test
    void listenFormAllowsStarAndLists() {
        assertThat(HostPort.parseListen("*:5432")).contains(new HostPort("*", 5432));
        assertThat(HostPort.parseListen("10.0.0.1, 127.0.0.1:5432")).contains(new HostPort("10.0.0.1,127.0.0.1", 5432));
        assertThat(HostPort.parseListen("[::1],127.0.0.1:5432")).contains(new HostPort("::1,127.0.0.1", 5432));
        assertThat(HostPort.parseListen("10.0.0.1,:5432")).isEmpty();
    }

    @Test
    void suggestionDistance() {
        assertThat(Suggest.distance("data_dri", "data_dir")).isEqualTo(2);
        assertThat(Suggest.distance("", "abc")).isEqualTo(3);
        assertThat(Suggest.closest("hots", List.of("host", "hosts"))).contains("hosts");
        assertThat(Suggest.closest("hostt", List.of("host", "hosts"))).contains("host");
        assertThat(Suggest.closest("completely_else", List.of("host", "hosts"))).isEmpty();
    }
}
