package com.orderexport.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderexport.config.Settings;
import com.orderexport.credentials.StoreClients;
import com.orderexport.stack.StackResources;
import com.orderexport.store.StoreId;
import com.orderexport.testing.EmulatorExtension;
import com.orderexport.testing.HttpEvents;
import com.orderexport.testing.TestStack;
import com.orderexport.tokens.IssuerDocuments;
import com.orderexport.tokens.Jwk;
import com.orderexport.tokens.Jwt;
import com.orderexport.tools.StoreAdmin;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;

/**
 * Elastic Path's token endpoint and the issuer's documents, each the class template.yaml names, on the emulator
 * (the clients table, and KMS signing with the template's RSA key): a good client gets Elastic Path's token JSON
 * whose token verifies against the JWKS the issuer serves; a bad client is one 401; another grant type a 400.
 */
@ExtendWith(EmulatorExtension.class)
class TokenEndpointIT {

    static final String ISSUER = "https://issuer.example.test";
    static RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> token;
    static RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> issuer;
    static StoreClients clients;
    static Settings settings;
    static TestStack stack;
    static final StoreId STORE = TestStack.newStore();
    static final String CLIENT_ID = "client-" + UUID.randomUUID();
    static final String SECRET = "secret-" + UUID.randomUUID();
    final ObjectMapper mapper = new ObjectMapper();

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void registerAClient(TestStack testStack) throws Exception {
        stack = testStack;
        // In AWS the token function's ISSUER_URL is the issuer API's own URL; here any fixed one will do.
        StackResources resources = stack.resources().withProcessEnvironment(Map.of(Settings.ISSUER_URL, ISSUER));
        settings = resources.settingsOf("TokenFunction");
        token = (RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>) resources.handlerOf("TokenFunction");
        issuer = stack.handler("IssuerFunction", APIGatewayV2HTTPEvent.class, APIGatewayV2HTTPResponse.class);
        clients = new StoreClients(stack.dynamo(), settings.clientsTable(), Clock.systemUTC());
        StoreAdmin.addClient(clients, STORE, CLIENT_ID, SECRET);
    }

    @Test
    void aGoodClient_getsElasticPathsTokenJson() throws Exception {
        long before = Instant.now().getEpochSecond();

        APIGatewayV2HTTPResponse response = post(form("client_credentials", CLIENT_ID, SECRET));
        JsonNode body = mapper.readTree(response.getBody());

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        assertThat(body.path("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.path("identifier").asText()).isEqualTo("client_credentials");
        assertThat(body.path("expires_in").asLong()).isEqualTo(3600);
        assertThat(body.path("expires").asLong()).isBetween(before + 3600, Instant.now().getEpochSecond() + 3600);
        assertThat(body.path("access_token").asText()).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
        assertThat(response.getHeaders()).containsEntry("Cache-Control", "no-store");
    }

    @Test
    void theToken_verifiesAgainstTheJwksTheIssuerServes() throws Exception {
        String accessToken = mapper.readTree(post(form("client_credentials", CLIENT_ID, SECRET)).getBody())
                .path("access_token").asText();

        JsonNode discovery = get("/.well-known/openid-configuration");
        assertThat(discovery.path("issuer").asText()).isEqualTo("https://" + HttpEvents.DOMAIN);
        assertThat(discovery.path("jwks_uri").asText()).isEqualTo("https://" + HttpEvents.DOMAIN + "/.well-known/jwks.json");
        JsonNode jwks = get("/.well-known/jwks.json");
        Jwt.Parsed parsed = Jwt.parse(accessToken);
        JsonNode jwk = jwks.path("keys").get(0);

        assertThat(jwks.path("keys")).hasSize(1);
        assertThat(jwk.path("kid").asText()).isEqualTo(parsed.keyId()).isEqualTo(settings.signingKeyId());
        assertThat(parsed.signedBy(Jwk.toPublicKey(jwk))).isTrue();
        assertThat(parsed.claims().path("iss").asText()).isEqualTo(ISSUER);
        assertThat(parsed.claims().path("aud").asText()).isEqualTo(settings.tokenAudience()).isNotBlank();
        assertThat(parsed.claims().path("store_id").asText()).isEqualTo(STORE.value());
        assertThat(parsed.claims().path("sub").asText()).isEqualTo(CLIENT_ID);
    }

    @Test
    void aRotatedSigningKey_signsNewTokens_whileTheJwksStillListsTheStacksOwnKeyForTheTokensItSigned()
            throws Exception {
        String rotated = newSigningKey();
        StackResources afterRotation = stack.resources().withProcessEnvironment(
                Map.of(Settings.ISSUER_URL, ISSUER, Settings.SIGNING_KEY_ARN, rotated));
        String signedBefore = accessToken(token);

        String signedAfter = accessToken(handler(afterRotation, "TokenFunction"));
        JsonNode jwks = get(handler(afterRotation, "IssuerFunction"), IssuerDocuments.JWKS_PATH);

        assertThat(kids(jwks)).containsExactly(kidOf(rotated), settings.signingKeyId());
        assertThat(Jwt.parse(signedAfter).keyId()).isEqualTo(kidOf(rotated));
        assertThat(Jwt.parse(signedBefore).keyId()).isEqualTo(settings.signingKeyId());
        for (String accessToken : List.of(signedBefore, signedAfter)) {
            assertThat(verifiesAgainst(jwks, accessToken)).as(accessToken).isTrue();
        }
    }

    @Test
    void retiredKeys_areListedBesideTheSigningKey_andOnesThatCannotBeReadAreLeftOut() throws Exception {
        String retired = newSigningKey();
        String deleted = "arn:aws:kms:us-east-1:123456789012:key/" + UUID.randomUUID();
        String notRsa = newKey(KeySpec.ECC_NIST_P256);
        StackResources withRetired = stack.resources().withProcessEnvironment(
                Map.of(Settings.RETIRED_SIGNING_KEY_ARNS, String.join(",", retired, deleted, notRsa)));

        JsonNode jwks = get(handler(withRetired, "IssuerFunction"), IssuerDocuments.JWKS_PATH);

        assertThat(kids(jwks)).containsExactly(settings.signingKeyId(), kidOf(retired));
    }

    @Test
    void aSigningKeyThatCannotBeRead_failsTheJwks_ratherThanServingOneWithoutIt() {
        String unknown = "arn:aws:kms:us-east-1:123456789012:key/" + UUID.randomUUID();
        StackResources rotatedToNothing = stack.resources().withProcessEnvironment(
                Map.of(Settings.SIGNING_KEY_ARN, unknown));

        APIGatewayV2HTTPResponse response = handler(rotatedToNothing, "IssuerFunction").handleRequest(
                HttpEvents.request("GET", IssuerDocuments.JWKS_PATH).build(), null);

        assertThat(response.getStatusCode()).isEqualTo(500);
        assertThat(response.getBody()).contains("The JWKS is unavailable").doesNotContain("\"keys\"");
    }

    @Test
    void aWrongSecretAndAnUnknownClient_getTheSame401SayingNothingOfWhichPartWasWrong() throws Exception {
        APIGatewayV2HTTPResponse wrongSecret = post(form("client_credentials", CLIENT_ID, "wrong"));
        APIGatewayV2HTTPResponse unknownClient = post(form("client_credentials", "nobody-" + UUID.randomUUID(), SECRET));
        APIGatewayV2HTTPResponse noSecret = post("grant_type=client_credentials&client_id=" + CLIENT_ID);

        assertThat(wrongSecret.getStatusCode()).isEqualTo(401);
        JsonNode error = mapper.readTree(wrongSecret.getBody()).path("errors").get(0);
        assertThat(error.path("status").asInt()).isEqualTo(401);
        assertThat(error.path("title").asText()).isEqualTo("Unauthorized");
        assertThat(error.path("detail").asText()).doesNotContain("secret is").doesNotContain("unknown");
        assertThat(unknownClient.getStatusCode()).isEqualTo(401);
        assertThat(unknownClient.getBody()).isEqualTo(wrongSecret.getBody());
        assertThat(noSecret.getStatusCode()).isEqualTo(401);
        assertThat(noSecret.getBody()).isEqualTo(wrongSecret.getBody());
    }

    @Test
    void anotherGrantType_is400() throws Exception {
        APIGatewayV2HTTPResponse password = post(form("password", CLIENT_ID, SECRET));
        APIGatewayV2HTTPResponse none = post("client_id=" + CLIENT_ID + "&client_secret=" + SECRET);

        assertThat(password.getStatusCode()).isEqualTo(400);
        assertThat(mapper.readTree(password.getBody()).path("errors").get(0).path("detail").asText())
                .isEqualTo("grant_type must be client_credentials");
        assertThat(none.getStatusCode()).isEqualTo(400);
    }

    @Test
    void aBase64EncodedFormBody_asHttpApisPassFormPosts_isRead() {
        APIGatewayV2HTTPEvent event = HttpEvents.request("POST", "/oauth/access_token")
                .header("content-type", "application/x-www-form-urlencoded").build();
        event.setBody(Base64.getEncoder().encodeToString(
                form("client_credentials", CLIENT_ID, SECRET).getBytes(StandardCharsets.UTF_8)));
        event.setIsBase64Encoded(true);

        assertThat(token.handleRequest(event, null).getStatusCode()).isEqualTo(200);
    }

    @Test
    void aRotatedSecret_replacesTheOldOneAtOnce() {
        StoreId store = TestStack.newStore();
        String clientId = "rotating-" + UUID.randomUUID();
        try {
            StoreAdmin.addClient(clients, store, clientId, "first");
        } catch (Exception e) {
            throw new AssertionError(e);
        }

        assertThat(clients.rotate(clientId, "second")).hasValueSatisfying(c -> assertThat(c.store()).isEqualTo(store));

        assertThat(post(form("client_credentials", clientId, "first")).getStatusCode()).isEqualTo(401);
        assertThat(post(form("client_credentials", clientId, "second")).getStatusCode()).isEqualTo(200);
        assertThat(clients.rotate("nobody-" + UUID.randomUUID(), "x")).isEmpty();
    }

    @Test
    void anotherMethod_is405WithAllowPost() {
        APIGatewayV2HTTPResponse response = token.handleRequest(HttpEvents.request("GET", "/oauth/access_token").build(), null);

        assertThat(response.getStatusCode()).isEqualTo(405);
        assertThat(response.getHeaders()).containsEntry("Allow", "POST");
    }

    private static String form(String grant, String clientId, String secret) {
        return "grant_type=" + grant + "&client_id=" + clientId + "&client_secret=" + secret;
    }

    private static APIGatewayV2HTTPResponse post(String form) {
        return token.handleRequest(HttpEvents.request("POST", "/oauth/access_token")
                .header("content-type", "application/x-www-form-urlencoded").body(form).build(), null);
    }

    private JsonNode get(String path) throws Exception {
        return get(issuer, path);
    }

    private JsonNode get(RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> from, String path)
            throws Exception {
        APIGatewayV2HTTPResponse response = from.handleRequest(HttpEvents.request("GET", path)
                .header("x-forwarded-proto", "https").build(), null);
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        return mapper.readTree(response.getBody());
    }

    private String accessToken(RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> tokens)
            throws Exception {
        APIGatewayV2HTTPResponse response = tokens.handleRequest(HttpEvents.request("POST", "/oauth/access_token")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(form("client_credentials", CLIENT_ID, SECRET)).build(), null);
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        return mapper.readTree(response.getBody()).path("access_token").asText();
    }

    @SuppressWarnings("unchecked")
    private static RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler(StackResources resources,
            String functionId) {
        return (RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>) resources.handlerOf(functionId);
    }

    /** A new key of the template's kind (RSA 2048, sign and verify), as an operator makes one to rotate to. */
    private static String newSigningKey() {
        return newKey(KeySpec.RSA_2048);
    }

    private static String newKey(KeySpec spec) {
        try (KmsClient kms = KmsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
            return kms.createKey(r -> r.keySpec(spec).keyUsage(KeyUsageType.SIGN_VERIFY)
                    .description("token signing key")).keyMetadata().arn();
        }
    }

    private static String kidOf(String keyArn) {
        return keyArn.substring(keyArn.lastIndexOf("key/") + "key/".length());
    }

    private static List<String> kids(JsonNode jwks) {
        List<String> kids = new ArrayList<>();
        jwks.path("keys").forEach(jwk -> kids.add(jwk.path("kid").asText()));
        return kids;
    }

    private static boolean verifiesAgainst(JsonNode jwks, String accessToken) throws Exception {
        Jwt.Parsed parsed = Jwt.parse(accessToken);
        for (JsonNode jwk : jwks.path("keys")) {
            if (jwk.path("kid").asText().equals(parsed.keyId())) {
                return parsed.signedBy(Jwk.toPublicKey(jwk));
            }
        }
        return false;
    }
}
