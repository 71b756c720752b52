package com.orderexport.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.orderexport.api.JobsApiHandler;
import com.orderexport.auth.IssuerHandler;
import com.orderexport.auth.TokenHandler;
import com.orderexport.sync.OrderWebhookHandler;
import com.orderexport.tokens.IssuerDocuments;
import com.orderexport.api.Route;
import com.orderexport.stack.Template;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** template.yaml and the code agree: handler strings name real handlers, routes match, settings are read. */
class TemplateTest {

    final Template template = Template.load();

    @Test
    void jobsApiHandlerString_namesTheApiHandlerClassAndMethod() throws Exception {
        String[] handler = template.handlerOf("JobsApiFunction").split("::");

        assertThat(Class.forName(handler[0])).isEqualTo(JobsApiHandler.class);
        assertThat(JobsApiHandler.class.getMethod(handler[1],
                com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent.class,
                com.amazonaws.services.lambda.runtime.Context.class)).isNotNull();
    }

    @Test
    void newFunctionsHandlerStrings_nameTheirAdapterClassesAndMethods() throws Exception {
        Map<String, Class<?>> handlers = Map.of("TokenFunction", TokenHandler.class, "IssuerFunction", IssuerHandler.class,
                "OrderSyncFunction", OrderWebhookHandler.class);

        handlers.forEach((function, type) -> {
            String[] handler = template.handlerOf(function).split("::");
            try {
                assertThat(Class.forName(handler[0])).as(function).isEqualTo(type);
                assertThat(type.getMethod(handler[1], APIGatewayV2HTTPEvent.class, Context.class)).isNotNull();
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(function + ": " + e, e);
            }
        });
    }

    @Test
    void theJobsApi_servesTheTokenAndWebhookRoutesWithoutItsAuthorizer_andEveryJobsRouteWithIt() {
        List<Template.HttpRoute> routes = template.httpRoutesOfApi("JobsHttpApi");

        assertThat(routes).contains(new Template.HttpRoute("ANY /oauth/access_token", "TokenFunction", false),
                new Template.HttpRoute("POST /integrations/elastic-path/orders/{store_id}", "OrderSyncFunction", false));
        assertThat(routes).filteredOn(r -> r.functionId().equals("JobsApiFunction")).allMatch(Template.HttpRoute::authorized);
        assertThat(template.httpRoutesOfApi("IssuerHttpApi")).containsExactlyInAnyOrder(
                new Template.HttpRoute("GET " + IssuerDocuments.DISCOVERY_PATH, "IssuerFunction", false),
                new Template.HttpRoute("GET " + IssuerDocuments.JWKS_PATH, "IssuerFunction", false));
    }

    @Test
    void builtinAuth_isTheDefault_andTheIssuersResourcesExistOnlyWithIt() {
        assertThat(template.parameterDefault("AuthMode")).isEqualTo("builtin");
        for (String resource : List.of("StoreClientsTable", "TokenSigningKey", "IssuerHttpApi", "IssuerFunction",
                "TokenFunction")) {
            assertThat(template.condition(resource)).as(resource).isEqualTo("BuiltinAuth");
        }
    }

    /** CloudFormation's tags are dropped in reading, so a condition reads as its arguments: [condition, then, else]. */
    @Test
    void signingKeys_onlyTheKeyInUseMaySign_andTheIssuerMayReadEveryKeyTheJwksLists() {
        assertThat(resourcesAllowed("TokenFunction", "kms:Sign"))
                .containsExactly("HasSigningKeyArn", "SigningKeyArn", "TokenSigningKey.Arn");
        assertThat(resourcesAllowed("IssuerFunction", "kms:GetPublicKey")).containsExactly(
                "TokenSigningKey.Arn", "HasSigningKeyArn", "SigningKeyArn", "AWS::NoValue", ",", "RetiredSigningKeyArns");
        assertThat(resourcesAllowed("TokenFunction", "kms:GetPublicKey")).isEmpty();
        assertThat(resourcesAllowed("IssuerFunction", "kms:Sign")).isEmpty();
        assertThat(template.environmentOf("TokenFunction")).containsEntry(Settings.SIGNING_KEY_ARN, "SigningKeyArn");
        assertThat(template.environmentOf("IssuerFunction"))
                .containsEntry(Settings.SIGNING_KEY_ARN, "SigningKeyArn")
                .containsEntry(Settings.RETIRED_SIGNING_KEY_ARNS, "RetiredSigningKeyArns");
    }

    @Test
    void httpRoutes_areExactlyTheHandlersRoutesPlusTheDefaultRoute() {
        List<String> expected = new ArrayList<>(Arrays.stream(Route.values())
                .map(r -> r.method() + " " + r.path()).toList());
        expected.add("$default");

        assertThat(template.httpRoutesOf("JobsApiFunction")).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void functionEnvironments_useOnlySettingsTheCodeReads() {
        List<String> known = List.of(Settings.JOBS_TABLE, Settings.ORDERS_TABLE, Settings.EXPORT_BUCKET,
                Settings.STORE_CLAIM, Settings.PUBLIC_BASE_URL, Settings.LINK_TTL_SECONDS,
                Settings.S3_FORCE_PATH_STYLE, Settings.STUCK_AFTER_SECONDS, Settings.MAX_REDRIVES,
                Settings.METRICS_NAMESPACE, Settings.EVENT_BUS_NAME,
                Settings.CLIENTS_TABLE, Settings.SIGNING_KEY_ID, Settings.SIGNING_KEY_ARN,
                Settings.RETIRED_SIGNING_KEY_ARNS, Settings.ISSUER_URL, Settings.TOKEN_AUDIENCE,
                Settings.WEBHOOK_SECRETS_PATH, Settings.EXPORT_QUANTUM_SECONDS, Settings.MAX_UNFINISHED_JOBS_PER_STORE,
                ScheduleLimits.SCHEDULES_TABLE, ScheduleLimits.MAX_SCHEDULES_PER_STORE,
                ScheduleLimits.SHORTEST_SCHEDULE_INTERVAL_MINUTES, ScheduleLimits.SCHEDULE_SETTLE_SECONDS,
                ScheduleLimits.DELIVERY_ROLE_ARN, ScheduleLimits.DELIVERY_DEAD_LETTER_QUEUE_ARN,
                "AWS_ENDPOINT_URL", "JAVA_TOOL_OPTIONS");

        for (String function : template.resourcesOfType("AWS::Serverless::Function").keySet()) {
            assertThat(known).containsAll(template.environmentOf(function).keySet());
        }
    }

    @Test
    void jobsTable_hasTheTtlOnExpiresAtAndANewImageStream() {
        var table = template.resource("JobsTable");

        assertThat(table.path("TimeToLiveSpecification").path("AttributeName").asText()).isEqualTo("expires_at");
        assertThat(table.path("TimeToLiveSpecification").path("Enabled").asBoolean()).isTrue();
        assertThat(table.path("StreamSpecification").path("StreamViewType").asText()).isEqualTo("NEW_IMAGE");
    }

    /** Every resource named by a statement of the function's policies that allows {@code action}, in order. */
    private List<String> resourcesAllowed(String functionId, String action) {
        List<String> resources = new ArrayList<>();
        template.resource(functionId).path("Policies").forEach(policy ->
                collectStatements(policy.path("Statement"), action, resources));
        return resources;
    }

    private static void collectStatements(JsonNode node, String action, List<String> resources) {
        if (node.isArray()) {
            node.forEach(element -> collectStatements(element, action, resources));
        } else if (node.isObject() && node.has("Action")) {
            List<String> actions = new ArrayList<>();
            node.path("Action").forEach(a -> actions.add(a.asText()));
            if (actions.contains(action)) {
                collectTexts(node.path("Resource"), resources);
            }
        }
    }

    private static void collectTexts(JsonNode node, List<String> texts) {
        if (node.isArray()) {
            node.forEach(element -> collectTexts(element, texts));
        } else {
            texts.add(node.asText());
        }
    }
}
