package io.pgha.rest;

import io.pgha.node.OperationLog;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Locale;

/** {@code GET /operation}: the operation's phases with their times, for a CLI to print as they happen. */
final class OperationJson {
    private OperationJson() {
    }

    static JsonObject of(OperationLog.Operation op) {
        JsonArray phases = new JsonArray();
        op.phases().forEach(p -> phases.add(new JsonObject().put("phase", p.phase()).put("at", p.at().toString()).put("detail", p.detail())));
        return new JsonObject()
                .put("id", op.id())
                .put("kind", op.kind())
                .put("from", op.from())
                .put("to", op.to())
                .put("state", op.state().name().toLowerCase(Locale.ROOT))
                .put("started", op.started().toString())
                .put("phases", phases)
                .put("result", op.result());
    }
}
