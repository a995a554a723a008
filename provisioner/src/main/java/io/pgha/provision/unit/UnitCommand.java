package io.pgha.provision.unit;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** `pgha unit start|stop|restart|enable|disable|status <unit>`: systemctl's verbs where systemd is not PID 1. */
@Command(name = "unit", mixinStandardHelpOptions = true,
        description = {"Start, stop and show a systemd service unit's main process on a host without systemd as PID 1 (the provisioner's sandbox, a container). Where systemd runs, use systemctl instead. Runs ExecStart= as User= with Environment=/EnvironmentFile=, detached; no Restart=."})
public final class UnitCommand implements Callable<Integer> {
    enum Verb { start, stop, restart, enable, disable, status }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", description = "start, stop, restart, enable, disable or status")
    Verb verb;

    @Parameters(index = "1", description = "the unit, e.g. pgha.service")
    String unit;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        StandInUnits units = StandInUnits.onThisHost();
        try {
            StandInUnits.UnitState s = switch (verb) {
                case start -> units.start(unit);
                case stop -> units.stop(unit);
                case restart -> units.restart(unit);
                case enable -> {
                    units.enable(unit);
                    yield units.status(unit);
                }
                case disable -> {
                    units.disable(unit);
                    yield units.status(unit);
                }
                case status -> units.status(unit);
            };
            out.println(s.unit() + ": " + (s.active() ? "active (pid " + s.pid().get() + ")" : "inactive")
                    + (s.enabled() ? ", enabled" : "") + "; log " + s.log());
            return verb == Verb.status && !s.active() ? 3 : 0; // 3: systemctl's "not running"
        } catch (UnitException e) {
            err.println("pgha unit: " + e.getMessage());
            return 1;
        }
    }
}
