package com.orderexport.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderexport.config.Settings;
import com.orderexport.store.StoreId;
import com.orderexport.testing.EmulatorExtension;
import com.orderexport.testing.LocalSigners;
import com.orderexport.testing.TestStack;
import com.orderexport.tokens.Jwt;
import com.orderexport.tokens.KmsSigningKey;
import com.orderexport.tokens.TokenIssuer;
import com.orderexport.tokens.TokenSigner;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The gateway stand-in's JWT authorizer against the real issuer: the issuer API (the template's IssuerFunction,
 * its key in KMS on the emulator) served over HTTP, its discovery document and JWKS read as API Gateway reads
 * them. A token the token function would issue passes; expired, not-yet-valid, re-signed, altered, other-issuer
 * and other-audience tokens do not.
 */
@ExtendWith(EmulatorExtension.class)
class GatewayAuthorizerIT {

    static final StoreId STORE = new StoreId("store-a");
    static LocalHttpServer server;
    static ApiGateway issuerApi;
    static String issuerUrl;
    static String audience;
    static KmsSigningKey kmsKey;
    static JwtAuthorizer authorizer;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void serveTheIssuer(TestStack stack) throws Exception {
        server = LocalHttpServer.bind("127.0.0.1", 0);
        issuerUrl = "http://127.0.0.1:" + server.port();
        var issuerFunction = (RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>)
                stack.resources().handlerOf("IssuerFunction");
        issuerApi = new ApiGateway(server, stack.template(), "IssuerHttpApi", Map.of("IssuerFunction", issuerFunction),
                null, Clock.systemUTC());
        issuerApi.start();
        audience = stack.template().jwtAudienceOf("JobsHttpApi");
        Settings token = stack.settingsOf("TokenFunction");
        kmsKey = new KmsSigningKey(KmsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build(),
                token.signingKeyId());
        authorizer = new JwtAuthorizer(issuerUrl, audience, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        issuerApi.stop();
    }

    @Test
    void aTokenAsTheTokenFunctionIssuesIt_isLetInWithItsClaimsAsStrings() {
        String token = new TokenIssuer(kmsKey, issuerUrl, audience, "store_id").issue("client-1", STORE, Instant.now()).token();

        var claims = authorizer.verify(token);

        assertThat(claims).hasValueSatisfying(c -> {
            assertThat(c).containsEntry("store_id", "store-a").containsEntry("iss", issuerUrl).containsEntry("sub", "client-1");
            assertThat(Long.parseLong(c.get("exp"))).isGreaterThan(Instant.now().getEpochSecond());
        });
    }

    @Test
    void anExpiredToken_isRefused() {
        long now = Instant.now().getEpochSecond();

        assertThat(authorizer.verify(Jwt.sign(claims(now - 7200, now - 3600), kmsKey))).isEmpty();
        assertThat(authorizer.verify(Jwt.sign(claims(now - 3600, now), kmsKey))).isEmpty();
    }

    @Test
    void aTokenNotYetValid_isRefused() {
        long now = Instant.now().getEpochSecond();

        assertThat(authorizer.verify(Jwt.sign(claims(now, now + 3600).put("nbf", now + 600), kmsKey))).isEmpty();
        assertThat(authorizer.verify(Jwt.sign(claims(now + 600, now + 3600), kmsKey))).isEmpty();
    }

    @Test
    void aTokenReSignedWithAnotherKey_isRefusedEvenUnderTheSameKid() {
        long now = Instant.now().getEpochSecond();

        assertThat(authorizer.verify(Jwt.sign(claims(now, now + 3600), foreignSigner(kmsKey.keyId())))).isEmpty();
        assertThat(authorizer.verify(Jwt.sign(claims(now, now + 3600), foreignSigner("some-other-kid")))).isEmpty();
    }

    @Test
    void aTokenWhoseClaimsWereChanged_isRefused() {
        long now = Instant.now().getEpochSecond();
        String[] parts = Jwt.sign(claims(now, now + 3600), kmsKey).split("\\.");
        String otherStore = Base64.getUrlEncoder().withoutPadding().encodeToString(
                claims(now, now + 3600).put("store_id", "store-b").toString().getBytes(StandardCharsets.UTF_8));

        assertThat(authorizer.verify(parts[0] + "." + otherStore + "." + parts[2])).isEmpty();
        assertThat(authorizer.verify(parts[0] + "." + parts[1] + "." + parts[2])).isPresent();
    }

    @Test
    void aTokenOfAnotherIssuerOrForAnotherAudience_isRefused() {
        long now = Instant.now().getEpochSecond();

        assertThat(authorizer.verify(Jwt.sign(claims(now, now + 3600).put("iss", "https://someone.else"), kmsKey))).isEmpty();
        assertThat(authorizer.verify(Jwt.sign(claims(now, now + 3600).put("aud", "another-api"), kmsKey))).isEmpty();
        assertThat(authorizer.verify(Jwt.sign(claims(now, now + 3600).without("exp"), kmsKey))).isEmpty();
    }

    @Test
    void eachRefusal_saysWhyForTheLogOfWhoeverRunsTheStack() {
        long now = Instant.now().getEpochSecond();

        assertThat(authorizer.check(Jwt.sign(claims(now - 7200, now - 3600), kmsKey)).refusal())
                .startsWith("expired 3600 s ago");
        assertThat(authorizer.check(Jwt.sign(claims(now, now + 3600).put("iss", "http://127.0.0.1:1"), kmsKey)).refusal())
                .startsWith("iss http://127.0.0.1:1 is not this API's issuer " + issuerUrl);
        assertThat(authorizer.check(Jwt.sign(claims(now, now + 3600), foreignSigner("some-other-kid"))).refusal())
                .startsWith("kid some-other-kid is not in the JWKS of " + issuerUrl);
        assertThat(authorizer.check(Jwt.sign(claims(now, now + 3600), foreignSigner(kmsKey.keyId()))).refusal())
                .startsWith("the signature does not verify");
        assertThat(authorizer.check(Jwt.sign(claims(now, now + 3600).put("aud", "another-api"), kmsKey)).refusal())
                .startsWith("aud \"another-api\" does not hold " + audience);
        assertThat(authorizer.check("a.b.c").refusal()).startsWith("the bearer token is not a JWT");
        assertThat(authorizer.check(Jwt.sign(claims(now, now + 3600), kmsKey)).refusal()).isNull();
    }

    @Test
    void whatIsNoJwt_isRefused() {
        assertThat(authorizer.verify("")).isEmpty();
        assertThat(authorizer.verify("eyJhbGciOiJIUzI1NiJ9.eyJzdG9yZV9pZCI6ImEifQ.c2ln")).isEmpty();
        assertThat(authorizer.verify("a.b.c")).isEmpty();
    }

    private static ObjectNode claims(long issuedAt, long expires) {
        return JsonNodeFactory.instance.objectNode().put("iss", issuerUrl).put("sub", "client-1").put("aud", audience)
                .put("iat", issuedAt).put("exp", expires).put("jti", "j").put("store_id", STORE.value());
    }

    /** RS256 with a key that is not the issuer's, under whatever kid it claims. */
    private static TokenSigner foreignSigner(String kid) {
        return LocalSigners.rs256(LocalSigners.newKeyPair(), kid);
    }
}
