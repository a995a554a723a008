package io.pgha.ctl;

import picocli.CommandLine.Command;

/** {@code pgha resume}: end maintenance mode. */
@Command(name = "resume", mixinStandardHelpOptions = true, description = "End maintenance mode: automatic failover again.")
public final class ResumeCommand extends PauseToggle {
    @Override
    boolean pausing() {
        return false;
    }
}
