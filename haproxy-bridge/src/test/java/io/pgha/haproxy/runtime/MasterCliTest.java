package io.pgha.haproxy.runtime;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MasterCliTest {
    static final String AFTER_A_RELOAD = """
            #<PID>          <type>          <reloads>       <uptime>        <version>
            15625           master          2 [failed: 1]   1d02h10m15s     2.6.12-1+deb12u4
            # workers
            29735           worker          0               0d00h00m07s     2.6.12-1+deb12u4
            # old workers
            15628           worker          1               0d00h10m14s     2.6.12-1+deb12u4
            # programs

            """;

    @Test
    void readsTheMasterItsReloadsAndWhichWorkersAreCurrent() {
        MasterCli.Processes p = MasterCli.parse(AFTER_A_RELOAD);

        assertThat(p.masterPid()).isEqualTo(15625);
        assertThat(p.reloads()).isEqualTo(2);
        assertThat(p.failedReloads()).isEqualTo(1);
        assertThat(p.currentWorkers()).containsExactly(29735L);
        assertThat(p.oldWorkers()).containsExactly(15628L);
        assertThat(p.workerUptime()).as("the current worker's, not the old one's").isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void uptimeCountsDaysHoursMinutesAndSeconds() {
        assertThat(MasterCli.uptime("1d02h10m15s")).isEqualTo(Duration.ofDays(1).plusHours(2).plusMinutes(10).plusSeconds(15));
        assertThat(MasterCli.uptime("garbage")).as("unknown counts as just started").isEqualTo(Duration.ZERO);
    }

    @Test
    void anAnswerWithoutAMasterIsRefused() {
        assertThatThrownBy(() -> MasterCli.parse("Unknown command\n")).isInstanceOf(HaproxyRejectedException.class);
    }
}
