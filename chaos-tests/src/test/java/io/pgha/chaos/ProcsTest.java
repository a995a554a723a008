package io.pgha.chaos;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;

/** /proc parsing on captured lines, and on this JVM's own entries. */
class ProcsTest {
    @Test
    void statFieldsResumeAfterTheLastParenthesis() {
        String stat = "5070 (postgres: chaos: postgres postgres 198.18.3.254(40412) idle) T 5067 5067 2008 0 -1 4194304 100 0 0 0 0 0 0 0 20 0 1 0 "
                + "1515051 3133440 394 18446744073709551615 0 0";
        Procs.Stat s = Procs.parseStat(stat);
        assertThat(s.state()).isEqualTo('T');
        assertThat(s.ppid()).isEqualTo(5067);
        assertThat(s.startTime()).isEqualTo(1515051);
        assertThat(s.stopped()).isTrue();
        assertThat(s.gone()).isFalse();
        assertThat(Procs.parseStat("7 (x) Z 1 7 7 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 99 0 0").gone()).isTrue();
    }

    @Test
    void thisJvmIsRunningAndAChildOfItsParent() {
        long me = ProcessHandle.current().pid();
        Procs.Stat s = Procs.stat(me).orElseThrow();
        assertThat(s.stopped()).isFalse();
        long parent = ProcessHandle.current().parent().orElseThrow().pid();
        assertThat(s.ppid()).isEqualTo(parent);
        assertThat(Procs.children(parent)).contains(me);
    }

    @Test
    void tcpLinesGiveHexPortsStateAndInode() {
        String text = """
                  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
                   0: 0100007F:A1B2 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1077 1 000000004da86522 100 0 0 10 0
                   1: 0100007F:D431 0100007F:A1B4 01 00000000:00000000 00:00000000 00000000     0        0 48213 1 0000000000000000 20 4 30 10 -1
                """;
        assertThat(Procs.parseTcp(text)).containsExactly(new Procs.TcpSocket(0xA1B2, 0, 0x0A, 1077),
                new Procs.TcpSocket(0xD431, 0xA1B4, Procs.TcpSocket.ESTABLISHED, 48213));
        String v6 = """
                  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
                   0: 0000000000000000FFFF00000100007F:9C40 0000000000000000FFFF00000100007F:0050 01 00000000:00000000 00:00000000 00000000     0        0 777 1 0 20 4 30 10 -1
                """;
        assertThat(Procs.parseTcp(v6)).containsExactly(new Procs.TcpSocket(0x9C40, 80, 1, 777));
    }

    @Test
    void aListeningSocketOfThisJvmIsFoundByItsInode() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            long me = ProcessHandle.current().pid();
            assertThat(Procs.tcpSockets(me)).anyMatch(s -> s.localPort() == server.getLocalPort());
        }
    }
}
