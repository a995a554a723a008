package io.pgha.config;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code restapi.verify_client} as Patroni has it: required or optional, with cafile and certfile. */
class RestApiTlsConfigTest {
    @Test
    void verifyClientRequiredWithCafileAndCertfileIsRead() {
        PghaConfig c = PghaConfig.parse(Fixture.full().set("restapi.cafile", "/pg/cert/ca.crt").set("restapi.verify_client", "required")
                .yaml(), Map.of());
        assertThat(c.restapi().verifyClient()).isEqualTo(Optional.of(RestApiConfig.VerifyClient.REQUIRED));
        assertThat(PghaConfig.parse(Fixture.full().set("restapi.cafile", "/pg/cert/ca.crt").set("restapi.verify_client", "optional")
                .yaml(), Map.of()).restapi().verifyClient()).isEqualTo(Optional.of(RestApiConfig.VerifyClient.OPTIONAL));
    }

    @Test
    void verifyClientWithoutCafileOrWithAnUnknownValueIsNamed() {
        assertThat(Fixture.full().remove("restapi.cafile").set("restapi.verify_client", "required").problems())
                .containsExactly("restapi.verify_client: needs certfile (the API must serve HTTPS) and cafile (the CA client certificates must come from)");
        assertThat(Fixture.full().set("restapi.cafile", "/pg/cert/ca.crt").set("restapi.verify_client", "sometimes").problems())
                .containsExactly("restapi.verify_client: expected one of required, optional, none, got \"sometimes\"");
    }

    @Test
    void allowlistIncludeMembersIsReadAndRestrictsClientsEvenWithoutAnAllowlist() {
        RestApiConfig c = PghaConfig.parse(Fixture.full().remove("restapi.allowlist").set("restapi.allowlist_include_members", true)
                .yaml(), Map.of()).restapi();
        assertThat(c.allowlistIncludeMembers()).isTrue();
        assertThat(c.restrictsClients()).isTrue();
        assertThat(PghaConfig.parse(Fixture.full().remove("restapi.allowlist").yaml(), Map.of()).restapi().restrictsClients()).isFalse();
        assertThat(Fixture.full().set("restapi.allowlist_include_members", "yes please").problems())
                .containsExactly("restapi.allowlist_include_members: expected true or false, got \"yes please\"");
    }
}
