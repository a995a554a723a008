package io.pgha.daemon;

import io.pgha.config.CallbackEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the user's callbacks as {@code <cmd> <action> <role> <scope>}, fire-and-forget, one at a
 * time: a new callback kills a still-running one (and its children), as Patroni does, so a hung
 * script cannot pile up behind role changes.
 */
final class Callbacks {
    private static final Logger LOG = LoggerFactory.getLogger(Callbacks.class);

    private final Map<CallbackEvent, String> commands;
    private final String scope;
    private Process running;

    Callbacks(Map<CallbackEvent, String> commands, String scope) {
        this.commands = commands;
        this.scope = scope;
    }

    synchronized void fire(CallbackEvent event, String role) {
        String command = commands.get(event);
        if (command == null || command.isBlank()) {
            return;
        }
        if (running != null && running.isAlive()) {
            // Parent first, or a shell script would go on to its next command the moment its
            // current child dies; the children, listed beforehand, next.
            var children = running.descendants().toList();
            running.destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
            LOG.warn("callback killed: a new {} callback started while the previous one still ran", event.key());
        }
        List<String> argv = new ArrayList<>(List.of(command.trim().split("\\s+")));
        argv.add(event.key());
        argv.add(role);
        argv.add(scope);
        try {
            running = new ProcessBuilder(argv)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            LOG.info("callback started: {}", String.join(" ", argv));
        } catch (IOException e) {
            LOG.warn("callback not started: {} ({})", String.join(" ", argv), e.getMessage());
        }
    }
}
