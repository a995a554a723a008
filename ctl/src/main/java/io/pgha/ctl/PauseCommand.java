package io.pgha.ctl;

import picocli.CommandLine.Command;

/** {@code pgha pause}: maintenance mode, no automatic failover or PostgreSQL start/stop. */
@Command(name = "pause", mixinStandardHelpOptions = true,
        description = "Maintenance mode: the daemons stop promoting, demoting, starting and stopping PostgreSQL.")
public final class PauseCommand extends PauseToggle {
    @Override
    boolean pausing() {
        return true;
    }
}
