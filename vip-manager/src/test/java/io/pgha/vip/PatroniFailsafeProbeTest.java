package io.pgha.vip;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

class PatroniFailsafeProbeTest {
    private final PatroniFailsafeProbe probe = new PatroniFailsafeProbe(URI.create("http://127.0.0.1:1/patroni"));

    @Test
    void onlyAPrimaryInActiveFailsafeModeAffirms() {
        assertThat(probe.judge(200, "{\"role\":\"primary\",\"failsafe_mode_is_active\":true}").affirmed()).isTrue();
        assertThat(probe.judge(200, "{\"role\":\"master\",\"failsafe_mode_is_active\":true}").affirmed()).isTrue();
        assertThat(probe.judge(200, "{\"role\":\"primary\"}").affirmed()).isFalse();
        assertThat(probe.judge(200, "{\"role\":\"replica\",\"failsafe_mode_is_active\":true}").affirmed()).isFalse();
        assertThat(probe.judge(503, "not json").detail()).contains("answered 503 with something other than a JSON object");
    }

    @Test
    void aDaemonThatDoesNotAnswerDoesNotAffirm() {
        FailsafeVerdict v = probe.ask();
        assertThat(v.affirmed()).isFalse();
        assertThat(v.detail()).startsWith("http://127.0.0.1:1/patroni did not answer");
    }
}
