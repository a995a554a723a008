package io.pgha.daemon;

import io.pgha.launch.EtcdCluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Requests etcd received, by gRPC method, summed over its members, as etcd itself counts them
 * (messages received, so every keepalive on a stream counts once).
 */
public final class EtcdRequests {
    private static final Pattern METRIC = Pattern.compile(
            "^grpc_server_msg_received_total\\{grpc_method=\"(\\w+)\",grpc_service=\"[^\"]+\",grpc_type=\"[^\"]+\"} (\\S+)$");

    private EtcdRequests() {
    }

    public static Map<String, Double> byMethod(EtcdCluster etcd, HttpClient http) throws IOException, InterruptedException {
        Map<String, Double> total = new TreeMap<>();
        for (int i = 0; i < etcd.size(); i++) {
            HttpRequest r = HttpRequest.newBuilder(URI.create(etcd.clientUrl(i) + "/metrics")).timeout(Duration.ofSeconds(5)).build();
            String body = http.send(r, HttpResponse.BodyHandlers.ofString()).body();
            for (String line : body.lines().toList()) {
                Matcher m = METRIC.matcher(line);
                if (m.matches()) {
                    total.merge(m.group(1), Double.parseDouble(m.group(2)), Double::sum);
                }
            }
        }
        return total;
    }

    /** Per-second rate of each method between two readings, leaving out methods not called. */
    public static Map<String, Double> rates(Map<String, Double> before, Map<String, Double> after, double seconds) {
        Map<String, Double> rates = new TreeMap<>();
        after.forEach((method, count) -> {
            double rate = (count - before.getOrDefault(method, 0.0)) / seconds;
            if (rate > 0.001) {
                rates.put(method, rate);
            }
        });
        return rates;
    }
}
