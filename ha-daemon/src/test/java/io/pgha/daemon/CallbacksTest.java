package io.pgha.daemon;

import io.pgha.config.CallbackEvent;
import io.pgha.launch.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Callbacks run as {@code <cmd> <action> <role> <scope>}; a new one kills one still running. */
class CallbacksTest {
    @TempDir
    Path dir;

    private Path script(String name, String body) throws Exception {
        Path s = dir.resolve(name);
        Files.writeString(s, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwx------"));
        return s;
    }

    @Test
    void runsWithActionRoleAndScope() throws Exception {
        Path out = dir.resolve("args");
        Path cb = script("cb", "echo \"$@\" > " + out);
        new Callbacks(Map.of(CallbackEvent.ON_ROLE_CHANGE, cb.toString()), "pg-test").fire(CallbackEvent.ON_ROLE_CHANGE, "primary");
        Await.until("callback ran", Duration.ofSeconds(5), () -> Files.exists(out) && !readQuietly(out).isBlank());
        assertThat(Files.readString(out).strip()).isEqualTo("on_role_change primary pg-test");
    }

    @Test
    void aNewCallbackKillsTheOneStillRunning() throws Exception {
        Path started = dir.resolve("started");
        Path finished = dir.resolve("finished");
        Path second = dir.resolve("second");
        Path slow = script("slow", "touch " + started + "; sleep 30; touch " + finished);
        Path fast = script("fast", "echo \"$1\" > " + second);
        Callbacks callbacks = new Callbacks(Map.of(CallbackEvent.ON_START, slow.toString(), CallbackEvent.ON_STOP, fast.toString()), "s");
        callbacks.fire(CallbackEvent.ON_START, "replica");
        Await.until("slow callback started", Duration.ofSeconds(5), () -> Files.exists(started));
        callbacks.fire(CallbackEvent.ON_STOP, "replica");
        Await.until("second callback ran", Duration.ofSeconds(5), () -> Files.exists(second) && !readQuietly(second).isBlank());
        assertThat(Files.readString(second).strip()).isEqualTo("on_stop");
        assertThat(finished).as("the first one was killed, not left to finish").doesNotExist();
    }

    @Test
    void anUnconfiguredCallbackDoesNothing() {
        new Callbacks(Map.of(), "s").fire(CallbackEvent.ON_START, "primary"); // must not throw
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (Exception e) {
            return "";
        }
    }
}
