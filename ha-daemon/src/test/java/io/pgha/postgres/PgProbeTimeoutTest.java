package io.pgha.postgres;

import io.pgha.config.Credentials;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A server that accepts connections and never answers, as a frozen (SIGSTOP) postmaster does: the
 * kernel completes the handshake, nothing replies. One timeout per status check, not one per call.
 */
class PgProbeTimeoutTest {
    @Test
    void afterATimeoutOtherCallsFailAtOnceUntilTheNextStatusCheck() throws Exception {
        List<Socket> held = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             PgProbe probe = new PgProbe("127.0.0.1", silent.getLocalPort(), new Credentials("postgres", "x"), Duration.ofSeconds(1))) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (IOException e) {
                    // closed at the end of the test
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();

            long t0 = System.nanoTime();
            assertThatThrownBy(probe::status).isInstanceOf(SQLException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("the status check waits one timeout").isGreaterThanOrEqualTo(Duration.ofMillis(900));

            long t1 = System.nanoTime();
            assertThatThrownBy(() -> probe.setting("synchronous_standby_names")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("did not answer within the query timeout");
            assertThatThrownBy(probe::flushLsn).isInstanceOf(SQLException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - t1)).as("the cycle's other questions fail at once").isLessThan(Duration.ofMillis(500));

            long t2 = System.nanoTime();
            assertThatThrownBy(probe::status).isInstanceOf(SQLException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - t2)).as("the next status check asks afresh").isGreaterThanOrEqualTo(Duration.ofMillis(900));
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
