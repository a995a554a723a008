package io.pgha.provision.render;

import io.pgha.provision.inventory.Inventory;
import io.pgha.provision.inventory.PgCluster;
import io.pgha.provision.inventory.PgHost;
import io.pgha.provision.inventory.Vip;

import java.util.LinkedHashMap;
import java.util.Map;

/** /etc/pgha/vip.yml: the VIP follows this member's leader key (vip-manager's keys). */
final class VipYaml {
    private VipYaml() {
    }

    static String render(Inventory inv, PgCluster cluster, PgHost host, Vip vip, String inventoryName) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("ip", vip.address());
        doc.put("netmask", vip.prefixLength());
        doc.put("interface", vip.interfaceName());
        doc.put("trigger-key", cluster.vars().namespace().replaceAll("/+$", "") + "/" + cluster.name() + "/leader");
        doc.put("trigger-value", host.memberName(cluster.name()));
        doc.put("dcs-type", "etcd3");
        doc.put("dcs-endpoints", PghaYaml.etcdEndpoints(inv));
        return Yaml.dump(Managed.header("vip.yml of " + host.memberName(cluster.name()), inventoryName), doc);
    }
}
