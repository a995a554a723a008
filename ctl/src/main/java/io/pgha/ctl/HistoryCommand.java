package io.pgha.ctl;

import io.pgha.dcs.model.HistoryEntry;
import io.pgha.dcs.model.Lsn;
import io.pgha.dcs.model.Versioned;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;

import java.util.List;

/** {@code pgha history}: the timeline switches the leaders recorded (failovers and switchovers). */
@Command(name = "history", mixinStandardHelpOptions = true, description = "Show the cluster's timeline history: every promotion.")
public final class HistoryCommand extends CtlCommand {
    @Override
    int run(Target target) {
        try (ClusterAccess dcs = ClusterAccess.open(target)) {
            List<HistoryEntry> entries = dcs.readExisting().history().map(Versioned::value).orElse(List.of());
            if (options.json) {
                JsonArray rows = new JsonArray();
                entries.forEach(e -> rows.add(new JsonObject()
                        .put("timeline", e.timeline())
                        .put("lsn", Lsn.format(e.lsn()))
                        .put("lsn_int", e.lsn())
                        .put("reason", e.reason())
                        .put("timestamp", e.timestamp().orElse(null))
                        .put("new_leader", e.newLeader().orElse(null))));
                out().println(rows.encode());
                return Exit.OK;
            }
            Table t = new Table("TL", "LSN", "Reason", "Timestamp", "New Leader");
            entries.forEach(e -> t.row(e.timeline(), Lsn.format(e.lsn()), e.reason(), e.timestamp().orElse(null), e.newLeader().orElse(null)));
            t.print(out());
            if (entries.isEmpty()) {
                out().println("(no timeline switch recorded yet)");
            }
            return Exit.OK;
        }
    }
}
