package io.pgha.daemon;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class SystemdNotifierTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void sendsEachMessageAsOneDatagramToTheSocketPath(@TempDir Path dir) {
        String path = dir.resolve("notify").toString();
        try (NotifySocketListener systemd = NotifySocketListener.bind(path);
             SystemdNotifier notifier = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", path))) {
            assertThat(notifier.send("READY=1")).isTrue();
            assertThat(notifier.send("STATUS=leader pg1 → key renewed")).isTrue();
            assertThat(systemd.next(WAIT)).contains("READY=1");
            assertThat(systemd.next(WAIT)).contains("STATUS=leader pg1 → key renewed");
        }
    }

    @Test
    void anAtSignNamesTheAbstractNamespace() {
        String name = "@pgha-notify-test-" + ProcessHandle.current().pid();
        try (NotifySocketListener systemd = NotifySocketListener.bind(name);
             SystemdNotifier notifier = new SystemdNotifier(Optional.of(name))) {
            assertThat(notifier.send("STOPPING=1")).isTrue();
            assertThat(systemd.next(WAIT)).contains("STOPPING=1");
        }
    }

    @Test
    void withoutNotifySocketNothingIsSent() {
        try (SystemdNotifier notifier = SystemdNotifier.fromEnvironment(Map.of())) {
            assertThat(notifier.enabled()).isFalse();
            assertThat(notifier.send("READY=1")).isFalse();
        }
    }

    @Test
    void aSocketNobodyListensOnIsNotFatal(@TempDir Path dir) {
        try (SystemdNotifier notifier = new SystemdNotifier(Optional.of(dir.resolve("absent").toString()))) {
            assertThat(notifier.send("READY=1")).isFalse();
            assertThat(notifier.send("STATUS=again")).isFalse();
        }
    }

    @Test
    void aPathTooLongForSockaddrUnIsRefusedNotTruncated() {
        try (SystemdNotifier notifier = new SystemdNotifier(Optional.of("/" + "x".repeat(120)))) {
            assertThat(notifier.send("READY=1")).isFalse();
        }
    }

    @Test
    void sockaddrCarriesTheFamilyAndATerminatedPathOrAnUnterminatedAbstractName() {
        assertThat(SystemdNotifier.sockaddr("/run/n")).hasSize(2 + 6 + 1);
        byte[] abstractName = SystemdNotifier.sockaddr("@n");
        assertThat(abstractName).hasSize(2 + 2);
        assertThat(abstractName[2]).isZero();
        assertThat(abstractName[3]).isEqualTo((byte) 'n');
    }
}
