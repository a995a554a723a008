package io.pgha.provision.render;

import io.pgha.provision.apply.ApplyException;
import io.pgha.provision.inventory.PgCluster;
import io.pgha.provision.inventory.PgHost;
import io.pgha.provision.inventory.PgService;
import io.pgha.provision.inventory.Settings;
import io.pgha.provision.plan.Change;
import io.pgha.provision.transport.Shell;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A cluster's names as DNS records in etcd, in the layout CoreDNS's etcd plugin (SkyDNS) serves:
 * {@code <cls><suffix>.<zone>} resolves to {@code pg_dns_target}, and each service
 * {@code <cls>-<service><suffix>.<zone>} to every member (A records, and SRV with the service's
 * port), as Pigsty's Consul registration named them. Each value carries {@code "cluster"} (ignored
 * by CoreDNS) so that apply can tell its own records from others in the zone and delete the ones
 * the inventory no longer has.
 */
final class DnsRecords {
    private final PgCluster cluster;
    private final Settings settings;
    private final String etcdctl;

    /** @param endpoint the etcd client URL the commands use, run on that etcd member */
    DnsRecords(PgCluster cluster, Settings settings, String endpoint) {
        this.cluster = cluster;
        this.settings = settings;
        this.etcdctl = "ETCDCTL_API=3 etcdctl --endpoints=" + Shell.quote(endpoint) + " ";
    }

    /** The key of a name: {@code pg-test-primary.pigsty} → {@code /skydns/pigsty/pg-test-primary}. */
    static String key(String name) {
        List<String> labels = new ArrayList<>(Arrays.asList(name.split("\\.")));
        Collections.reverse(labels);
        return "/skydns/" + String.join("/", labels);
    }

    /** The member's records: one per service; the cluster's own name stays until the inventory changes. */
    List<String> memberKeys(PgHost h) {
        String suffix = cluster.vars().dnsSuffix() + "." + settings.dnsZone();
        return cluster.vars().services().stream()
                .map(s -> key(cluster.name() + "-" + s.name() + suffix) + "/" + h.memberName(cluster.name())).toList();
    }

    String delete(String key) {
        return etcdctl + "del " + Shell.quote(key);
    }

    /** Every record the inventory wants for the cluster, key → value, in a fixed order. */
    Map<String, String> desired() {
        Map<String, String> out = new LinkedHashMap<>();
        String suffix = cluster.vars().dnsSuffix() + "." + settings.dnsZone();
        cluster.vars().dnsTarget().address(cluster).ifPresent(a -> out.put(key(cluster.name() + suffix), value(a, 0)));
        for (PgService s : cluster.vars().services()) {
            for (PgHost h : cluster.hosts()) {
                out.put(key(cluster.name() + "-" + s.name() + suffix) + "/" + h.memberName(cluster.name()), value(h.address(), s.port()));
            }
        }
        return out;
    }

    private String value(String address, int port) {
        JsonObject v = new JsonObject().put("host", address);
        if (port > 0) {
            v.put("port", port);
        }
        return v.put("cluster", cluster.name()).encode();
    }

    /** Lists the zone's records as JSON, keys and values in base64 (a value may span lines). */
    String query() {
        return etcdctl + "get --prefix -w json " + Shell.quote(key(settings.dnsZone()) + "/");
    }

    /** What to put and delete so that the zone holds exactly the cluster's desired records (others' untouched). */
    List<Change> plan(String host, String listing) {
        Map<String, String> have = ours(listing);
        Map<String, String> want = desired();
        List<Change> out = new ArrayList<>();
        want.forEach((k, v) -> {
            if (!v.equals(have.get(k))) {
                out.add(new Change.RunCommand(host, (have.containsKey(k) ? "update" : "register") + " DNS record " + k + " → " + v,
                        etcdctl + "put " + Shell.quote(k), v, ""));
            }
        });
        have.keySet().stream().filter(k -> !want.containsKey(k)).forEach(k ->
                out.add(new Change.RunCommand(host, "deregister DNS record " + k + " (no longer in the inventory)",
                        delete(k), "", "")));
        return out;
    }

    /**
     * The records of the listing that carry this cluster's name. An empty listing (etcd not up yet,
     * during a plan) holds none.
     */
    private Map<String, String> ours(String listing) {
        Map<String, String> out = new LinkedHashMap<>();
        if (listing.isBlank()) {
            return out;
        }
        JsonArray kvs;
        try {
            kvs = new JsonObject(listing).getJsonArray("kvs", new JsonArray());
        } catch (DecodeException | ClassCastException e) {
            throw new ApplyException("etcdctl get -w json answered something other than JSON: " + e.getMessage());
        }
        for (int i = 0; i < kvs.size(); i++) {
            JsonObject kv = kvs.getJsonObject(i);
            String key = decode(kv.getString("key", ""));
            String value = decode(kv.getString("value", ""));
            try {
                if (cluster.name().equals(new JsonObject(value).getString("cluster"))) {
                    out.put(key, value);
                }
            } catch (DecodeException | ClassCastException e) {
                // not a record of ours: someone else's entry in the zone
            }
        }
        return out;
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
