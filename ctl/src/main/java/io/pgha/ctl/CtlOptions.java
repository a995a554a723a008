package io.pgha.ctl;

import io.pgha.config.ConfigException;
import io.pgha.config.ConfigProblem;
import io.pgha.config.ConsulConfig;
import io.pgha.config.Credentials;
import io.pgha.config.DcsConfig;
import io.pgha.config.Etcd3Config;
import io.pgha.config.HostPort;
import io.pgha.config.PghaConfig;
import io.pgha.config.RestApiConfig;
import io.pgha.dcs.model.KeyLayout;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The options every operator command shares: where the cluster is (a node's pgha.yml, or the DCS
 * URL and scope), REST credentials, and {@code --json}.
 */
final class CtlOptions {
    private static final String CONSUL = "consul://";

    @Option(names = {"-c", "--config"}, paramLabel = "pgha.yml",
            description = "A node's pgha.yml: DCS endpoints, scope, namespace and REST credentials come from it.")
    Path config;

    @Option(names = {"-d", "--dcs"}, paramLabel = "URL",
            description = "etcd3://host:port[,host:port…] or consul://host:port (overrides the DCS of -c; the Consul token from PGHA_CONSUL_TOKEN).")
    String dcs;

    @Option(names = "--scope", paramLabel = "NAME", description = "The cluster's scope (overrides the one of -c).")
    String scope;

    @Option(names = "--namespace", paramLabel = "NS", description = "Key namespace (default /service, or the one of -c).")
    String namespace;

    @Option(names = "--user", paramLabel = "NAME", defaultValue = "${env:PGHA_RESTAPI_USERNAME}",
            description = "REST API basic-auth user (default: $PGHA_RESTAPI_USERNAME, or restapi.authentication of -c).")
    String user;

    @Option(names = "--password", paramLabel = "PASSWORD", defaultValue = "${env:PGHA_RESTAPI_PASSWORD}",
            description = "REST API basic-auth password (default: $PGHA_RESTAPI_PASSWORD, or restapi.authentication of -c).")
    String password;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "5",
            description = "Bound on each DCS call and each REST request (default: ${DEFAULT-VALUE}).")
    double timeoutSeconds;

    @Option(names = "--json", description = "Machine-readable output (shapes in the README).")
    boolean json;

    @Option(names = "--cacert", paramLabel = "PEM",
            description = "CA of the members' REST API certificates (default: restapi.cafile of -c, else the system's CAs).")
    Path cacert;

    @Option(names = "--cert", paramLabel = "PEM",
            description = "Client certificate for a REST API with verify_client (default: restapi.certfile of -c when it has cafile).")
    Path cert;

    @Option(names = "--key", paramLabel = "PEM", description = "The key of --cert (PKCS#8 or PKCS#1).")
    Path key;

    @Option(names = "--insecure", description = "Do not verify the REST API's certificate. Dangerous: prints a warning.")
    boolean insecure;

    /** Resolves the options into a target; every inconsistency is a usage error naming the option. */
    Target target(Map<String, String> env) {
        if (timeoutSeconds <= 0 || timeoutSeconds > 600) {
            throw CtlError.usage("--timeout must be between 0 and 600 seconds, got " + timeoutSeconds);
        }
        Duration timeout = Duration.ofMillis(Math.round(timeoutSeconds * 1000));
        Optional<PghaConfig> file = Optional.ofNullable(config).map(p -> load(p, env));
        if (file.isEmpty() && (dcs == null || scope == null)) {
            throw CtlError.usage("say which cluster: -c pgha.yml, or --dcs etcd3://host:port --scope NAME");
        }
        String theScope = scope != null ? scope : file.get().scope();
        String ns = namespace != null ? namespace : file.map(PghaConfig::namespace).orElse(KeyLayout.DEFAULT_NAMESPACE);
        KeyLayout layout;
        try {
            layout = new KeyLayout(ns, theScope);
        } catch (IllegalArgumentException e) {
            throw CtlError.usage("--scope: " + e.getMessage());
        }
        DcsConfig store;
        if (dcs != null && dcs.trim().startsWith(CONSUL)) {
            store = consul(dcs, env);
        } else if (dcs != null) {
            store = Etcd3Config.plain(parseDcsUrl(dcs));
        } else {
            store = file.get().dcs();
        }
        Optional<Credentials> auth;
        if (user != null || password != null) {
            if (user == null || password == null || user.isEmpty()) {
                throw CtlError.usage("give both --user and --password (or PGHA_RESTAPI_USERNAME and PGHA_RESTAPI_PASSWORD)");
            }
            auth = Optional.of(new Credentials(user, password));
        } else {
            auth = file.flatMap(f -> f.restapi().authentication());
        }
        return new Target(layout, store, auth, timeout, restTls(file));
    }

    /** {@code consul://host:port}, Patroni's -d form for the local agent; the token from {@code PGHA_CONSUL_TOKEN}. */
    static ConsulConfig consul(String url, Map<String, String> env) {
        String rest = url.trim().substring(CONSUL.length());
        HostPort hp = HostPort.parse(rest).orElseThrow(() ->
                CtlError.usage("--dcs: \"" + rest + "\" is not host:port (in " + url + ")"));
        return new ConsulConfig(hp, "http", Optional.ofNullable(env.get("PGHA_CONSUL_TOKEN")).filter(t -> !t.isEmpty()), false);
    }

    /** The options, else the node's own restapi files: its CA, and its certificate when the API verifies clients. */
    private RestTls restTls(Optional<PghaConfig> file) {
        Optional<RestApiConfig> api = file.map(PghaConfig::restapi);
        Optional<Path> ca = Optional.ofNullable(cacert).or(() -> insecure ? Optional.empty() : api.flatMap(RestApiConfig::cafile));
        boolean fromFile = cert == null && key == null && api.flatMap(RestApiConfig::verifyClient).isPresent();
        Optional<Path> c = fromFile ? api.flatMap(RestApiConfig::certfile) : Optional.ofNullable(cert);
        Optional<Path> k = fromFile ? api.flatMap(a -> a.keyfile().or(a::certfile)) : Optional.ofNullable(key);
        return new RestTls(ca, c, k, insecure);
    }

    /** {@code etcd3://h1:2379,h2:2379} (Patroni's -d form), {@code etcd://…} or a bare host:port list. */
    static List<URI> parseDcsUrl(String url) {
        String rest = url.trim();
        for (String scheme : List.of("etcd3://", "etcd://")) {
            if (rest.startsWith(scheme)) {
                rest = rest.substring(scheme.length());
            }
        }
        if (rest.contains("://")) {
            throw CtlError.usage("--dcs: only etcd3://host:port[,host:port] or consul://host:port is supported, got " + url);
        }
        List<URI> out = new ArrayList<>();
        for (String part : rest.split(",")) {
            HostPort hp = HostPort.parse(part.trim()).orElseThrow(() ->
                    CtlError.usage("--dcs: \"" + part.trim() + "\" is not host:port (in " + url + ")"));
            out.add(URI.create("http://" + hp));
        }
        return out;
    }

    private static PghaConfig load(Path file, Map<String, String> env) {
        try {
            return PghaConfig.load(file, env);
        } catch (ConfigException e) {
            List<ConfigProblem> problems = e.problems();
            throw CtlError.usage(file + ": " + problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("; ")));
        }
    }
}
