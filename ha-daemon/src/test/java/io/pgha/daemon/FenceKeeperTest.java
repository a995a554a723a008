package io.pgha.daemon;

import io.pgha.launch.Await;
import io.pgha.postgres.Processes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The keeper against a stand-in postmaster: a real process whose command name is "postgres", so the
 * keeper's checks and its SIGQUIT are the real ones.
 */
class FenceKeeperTest {
    @TempDir
    Path dir;
    private Process postmaster;
    private FenceKeeper keeper;

    private Path standIn() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        // A script named "postgres" (its command name) that, like the real postmaster, unblocks the
        // signals a JVM-spawned child inherits blocked, and dies of SIGQUIT.
        Path postgres = dir.resolve("postgres");
        // It forks one "backend" and writes its PID next to the data directory.
        Files.writeString(postgres, "#!/usr/bin/perl\nuse POSIX;\nsigprocmask(SIG_UNBLOCK, POSIX::SigSet->new(SIGQUIT));\n"
                + "$SIG{QUIT} = 'DEFAULT';\nmy $kid = fork();\nif ($kid == 0) { sleep 600; exit 0; }\n"
                + "open(my $f, '>', '" + dir.resolve("backend.pid") + "'); print $f $kid; close $f;\nsleep 600;\n");
        postgres.toFile().setExecutable(true);
        postmaster = new ProcessBuilder(postgres.toString()).start();
        Await.until("the stand-in runs", Duration.ofSeconds(5), () -> {
            try {
                return Files.readString(Path.of("/proc", Long.toString(postmaster.pid()), "comm")).trim().equals("postgres");
            } catch (IOException e) {
                return false;
            }
        });
        Files.writeString(data.resolve("postmaster.pid"), postmaster.pid() + "\n" + data + "\n");
        return data;
    }

    @AfterEach
    void stop() {
        if (keeper != null) {
            keeper.close();
        }
        if (postmaster != null) {
            postmaster.destroyForcibly();
        }
    }

    @Test
    void aDeadlineThatPassesWithoutRenewalStopsThePostmaster() throws Exception {
        Path data = standIn();
        keeper = FenceKeeper.start(data);
        keeper.arm(System.nanoTime() + Duration.ofMillis(300).toNanos());
        Await.until("the stand-in postmaster got SIGQUIT", Duration.ofSeconds(5), () -> !postmaster.isAlive());
        assertThat(postmaster.exitValue()).as("killed by SIGQUIT (128 + 3)").isEqualTo(131);
    }

    @Test
    void aFrozenPostmastersBackendsGetTheSignalDirectly() throws Exception {
        Path data = standIn();
        long backend = Await.value("the stand-in's backend PID", Duration.ofSeconds(5), () -> {
            try {
                String s = Files.readString(dir.resolve("backend.pid")).trim();
                return s.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(s));
            } catch (IOException e) {
                return Optional.empty();
            }
        });
        try {
            assertThat(new ProcessBuilder("kill", "-STOP", Long.toString(postmaster.pid())).start().waitFor()).isZero();
            keeper = FenceKeeper.start(data);
            keeper.arm(System.nanoTime() + Duration.ofMillis(300).toNanos());
            // A stopped postmaster relays nothing: only a signal sent to the backend itself ends it.
            Await.until("the frozen postmaster's backend got SIGQUIT", Duration.ofSeconds(5), () -> !Processes.isRunning(backend));
        } finally {
            new ProcessBuilder("kill", "-KILL", Long.toString(backend)).start().waitFor();
            new ProcessBuilder("kill", "-CONT", Long.toString(postmaster.pid())).start().waitFor();
        }
    }

    @Test
    void renewedInTimeAndThenDisarmedItLeavesThePostmasterAlone() throws Exception {
        Path data = standIn();
        keeper = FenceKeeper.start(data);
        for (int i = 0; i < 8; i++) {
            keeper.arm(System.nanoTime() + Duration.ofMillis(400).toNanos()); // renewed every 100 ms
            Thread.sleep(100); // the renewal rhythm is what is tested
        }
        keeper.disarm();
        Thread.sleep(600); // past the last deadline: nothing may happen
        assertThat(postmaster.isAlive()).isTrue();
    }

    @Test
    void aRestartedDaemonsKeeperTakesOverTheDeadlineTheEarlierKeeperGuarded() throws Exception {
        Path data = standIn();
        FenceKeeper earlier = FenceKeeper.start(data); // the run that is killed: its keeper lives on
        earlier.arm(System.nanoTime() + Duration.ofMillis(1500).toNanos());
        long earlierPid = earlier.pid();

        keeper = FenceKeeper.start(data); // the restarted daemon's
        assertThat(keeper.inheritedDeadlineNanos()).isPresent();
        assertThat(keeper.inheritedDeadlineNanos().getAsLong() - System.nanoTime())
                .isBetween(Duration.ofMillis(1000).toNanos(), Duration.ofMillis(1600).toNanos());
        Await.until("the earlier keeper stopped", Duration.ofSeconds(5), () -> !Processes.isRunning(earlierPid));
        assertThat(postmaster.isAlive()).as("nothing fired before the deadline").isTrue();
        // Only the new keeper is left to act on the deadline the earlier one was guarding.
        Await.until("the stand-in postmaster got SIGQUIT", Duration.ofSeconds(5), () -> !postmaster.isAlive());
        assertThat(postmaster.exitValue()).isEqualTo(131);
    }

    @Test
    void aDeadlineNoLiveKeeperGuardsIsStaleAndCleared() throws Exception {
        Path data = standIn();
        // As after a reboot, or a keeper killed with its daemon: a number in the file, nobody behind it.
        Files.writeString(data.resolveSibling("data.fence"), (FenceKeeper.uptimeCentis() + 30) + "\n");
        keeper = FenceKeeper.start(data);
        assertThat(keeper.inheritedDeadlineNanos()).isEmpty();
        assertThat(Files.readString(data.resolveSibling("data.fence")).trim()).isEqualTo("0");
        Thread.sleep(600); // past the stale deadline: nothing may happen
        assertThat(postmaster.isAlive()).isTrue();
    }

    @Test
    void theKeeperEndsWhenNothingIsArmedAndItIsClosed() throws Exception {
        Path data = standIn();
        keeper = FenceKeeper.start(data);
        keeper.close();
        keeper = null;
        assertThat(Files.exists(data.resolveSibling("data.fence"))).isFalse();
        assertThat(Processes.isRunning(postmaster.pid())).isTrue();
    }
}
