package io.pgha.provision.render;

import org.yaml.snakeyaml.DumperOptions;

import java.util.Map;

/** Rendered YAML in block style with a header: the same inventory always gives the same bytes. */
final class Yaml {
    private Yaml() {
    }

    static String dump(String header, Map<String, Object> document) {
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        o.setIndent(2);
        o.setWidth(200);
        o.setSplitLines(false);
        return header + new org.yaml.snakeyaml.Yaml(o).dump(document);
    }
}
