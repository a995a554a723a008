package io.pgha.provision.cli;

import io.pgha.provision.apply.ApplyException;
import io.pgha.provision.inventory.InventoryException;
import io.pgha.provision.inventory.InventoryProblem;
import io.pgha.provision.transport.TransportException;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** Turns the ways a run can be refused or fail into a named message on stderr and exit 1. */
final class Failures {
    private Failures() {
    }

    static int guard(PrintWriter err, Callable<Integer> run) {
        try {
            return run.call();
        } catch (InventoryException e) {
            err.println("pgha provision: the inventory has " + e.problems().size() + " problem(s); nothing was changed:");
            for (InventoryProblem p : e.problems()) {
                err.println("  " + p);
            }
        } catch (TransportException | Session.Failure e) {
            err.println("pgha provision: " + e.getMessage());
        } catch (ApplyException e) {
            err.println("pgha provision: apply stopped: " + e.getMessage());
        } catch (Exception e) {
            err.println("pgha provision: " + e);
        }
        err.flush();
        return 1;
    }
}
