package io.pgha.vip;

import io.pgha.config.PemFiles;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * {@code GET /patroni} on the local daemon (Patroni, or pgha's compatible REST API): failsafe
 * leadership is {@code role} primary (or the legacy master) together with
 * {@code failsafe_mode_is_active: true}, which Patroni reports only while the DCS is unreachable and
 * every member has acknowledged this primary.
 */
public final class PatroniFailsafeProbe implements FailsafeProbe {
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    private final URI url;
    private final HttpClient http;

    public PatroniFailsafeProbe(URI url) {
        this(url, Optional.empty());
    }

    /**
     * @param caFile {@code failsafe-ca-file}: the CA the REST API's certificate must come from, for
     *               an https URL; without it the JVM's trust store decides. The host name in the
     *               URL must be in the certificate either way.
     */
    public PatroniFailsafeProbe(URI url, Optional<Path> caFile) {
        this.url = url;
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(TIMEOUT);
        caFile.ifPresent(ca -> b.sslContext(trusting(ca)));
        this.http = b.build();
    }

    private static SSLContext trusting(Path ca) {
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (X509Certificate c : PemFiles.certificates(ca)) {
                ks.setCertificateEntry("ca" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("failsafe-ca-file " + ca + ": " + e.getMessage(), e);
        }
    }

    @Override
    public FailsafeVerdict ask() {
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(url).timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (SSLHandshakeException e) {
            return new FailsafeVerdict(false, url + " refused: " + tlsReason(e));
        } catch (IOException e) {
            return new FailsafeVerdict(false, url + " did not answer (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new FailsafeVerdict(false, "interrupted while asking " + url);
        }
        return judge(response.statusCode(), response.body());
    }

    /** The JDK's words for a bad certificate, said as what is wrong with it. */
    private static String tlsReason(SSLHandshakeException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("PKIX path") || m.contains("unable to find valid certification path")) {
            return "its certificate is not signed by the CA in failsafe-ca-file (wrong CA): " + m;
        }
        if (m.contains("No subject alternative") || m.contains("No name matching")) {
            return "its certificate does not name the host in failsafe-url (hostname mismatch): " + m;
        }
        return "TLS handshake failed: " + m;
    }

    FailsafeVerdict judge(int status, String body) {
        JsonObject json;
        try {
            json = new JsonObject(body);
        } catch (DecodeException | ClassCastException e) {
            return new FailsafeVerdict(false, url + " answered " + status + " with something other than a JSON object");
        }
        String role = String.valueOf(json.getValue("role"));
        boolean failsafe = Boolean.TRUE.equals(json.getValue("failsafe_mode_is_active"));
        boolean primary = role.equals("primary") || role.equals("master");
        String said = url + " reports role " + role + (failsafe ? " with failsafe_mode_is_active" : " without failsafe_mode_is_active");
        return new FailsafeVerdict(primary && failsafe, said);
    }
}
