package io.pgha.ctl;

import java.io.PrintWriter;
import java.util.Optional;

/**
 * Follows one member's {@code GET /operation} while a command runs and prints each phase once, as
 * it appears. The operation that was there before the command started (an earlier switchover) is
 * remembered first and never printed, so only this command's operation is shown.
 */
final class OperationWatch {
    private final RestClient rest;
    private final String apiUrl;
    private final PrintWriter out;
    private Optional<String> before = Optional.empty();
    private Optional<Operation> current = Optional.empty();
    private int printed;

    OperationWatch(RestClient rest, String apiUrl, PrintWriter out) {
        this.rest = rest;
        this.apiUrl = apiUrl;
        this.out = out;
    }

    /** Call before sending the request: whatever operation the member reports now is an old one. */
    OperationWatch baseline() {
        before = fetch().map(Operation::id);
        return this;
    }

    /** One look; prints phases not printed yet. An unreachable member or a 404 is just "nothing new". */
    void poll() {
        Optional<Operation> op = fetch().filter(o -> before.map(b -> !b.equals(o.id())).orElse(true));
        if (op.isEmpty()) {
            return;
        }
        if (current.isPresent() && !current.get().id().equals(op.get().id())) {
            printed = 0; // a newer operation replaced ours; show it from its start
        }
        current = op;
        var phases = op.get().phases();
        for (; printed < phases.size(); printed++) {
            out.println("  " + phases.get(printed).line());
        }
        out.flush();
    }

    Optional<Operation> operation() {
        return current;
    }

    private Optional<Operation> fetch() {
        try {
            RestAnswer a = rest.get(apiUrl, "/operation");
            return a.status() == 200 ? a.json().flatMap(Operation::parse) : Optional.empty();
        } catch (RestClient.Unreachable e) {
            return Optional.empty();
        }
    }
}
