package io.pgha.ctl;

import io.pgha.dcs.model.Cluster;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code pgha remove <scope>}: delete every DCS key of the cluster. Asked the way patronictl asks,
 * because nothing undoes it: the scope name typed again, "Yes I am aware", and — while a leader
 * holds the key — that leader's name.
 */
@Command(name = "remove", mixinStandardHelpOptions = true,
        description = "Delete every DCS key of the cluster (after typed confirmations). Data directories are not touched.")
public final class RemoveCommand extends CtlCommand {
    static final String AWARE = "Yes I am aware";

    @Parameters(index = "0", paramLabel = "SCOPE", description = "The cluster to remove (must be the one -c/--scope names).")
    String scope;

    @Override
    int run(Target target) {
        if (!scope.equals(target.scope())) {
            throw CtlError.usage("asked to remove " + scope + ", but -c/--scope names cluster " + target.scope() + "; nothing removed");
        }
        try (ClusterAccess dcs = ClusterAccess.open(target)) {
            Cluster c = dcs.readExisting();
            Prompt prompt = prompt();
            if (!prompt.ask("Please confirm the cluster name to remove: ").equals(scope)) {
                throw CtlError.failed("aborted: the name typed is not " + scope + "; nothing removed");
            }
            if (!prompt.ask("You are about to remove all information in the DCS for " + scope + ", please type: \"" + AWARE + "\": ").equals(AWARE)) {
                throw CtlError.failed("aborted: \"" + AWARE + "\" not typed; nothing removed");
            }
            if (c.leaderName().isPresent()) {
                String leader = c.leaderName().get();
                if (!prompt.ask("This cluster currently has a leader. Please specify the leader name to continue: ").equals(leader)) {
                    throw CtlError.failed("aborted: the name typed is not the leader's (" + leader + "); nothing removed");
                }
            }
            dcs.dcs().wipe();
            if (options.json) {
                out().println(new JsonObject().put("removed", scope).put("prefix", target.layout().prefix()).encode());
            } else {
                out().println("Removed every key under " + target.layout().prefix());
            }
            return Exit.OK;
        }
    }
}
