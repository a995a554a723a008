package io.pgha.ctl;

import io.pgha.dcs.model.Versioned;
import picocli.CommandLine.Command;

/** {@code pgha show-config}: the dynamic config from the DCS, as YAML (or its JSON with --json). */
@Command(name = "show-config", mixinStandardHelpOptions = true, description = "Show the cluster's dynamic config (the DCS config key).")
public final class ShowConfigCommand extends CtlCommand {
    @Override
    int run(Target target) {
        try (ClusterAccess dcs = ClusterAccess.open(target)) {
            Versioned<String> config = dcs.readExisting().config().orElseThrow(() ->
                    CtlError.failed("the DCS has no config key for " + target.scope() + " (not bootstrapped yet?)"));
            if (options.json) {
                out().println(ConfigYaml.toJson(ConfigYaml.fromJson(config.value())));
            } else {
                out().print(ConfigYaml.toYaml(ConfigYaml.fromJson(config.value())));
            }
            return Exit.OK;
        }
    }
}
