package com.orderexport.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.orderexport.api.JobsApiHandler;
import com.orderexport.api.Route;
import com.orderexport.stack.Template;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
                Settings.S3_FORCE_PATH_STYLE, Settings.EXPORT_QUANTUM_SECONDS, Settings.MAX_UNFINISHED_JOBS_PER_STORE,
                "AWS_ENDPOINT_URL", "JAVA_TOOL_OPTIONS");

        for (String function : List.of("JobsApiFunction", "OrderExportFunction")) {
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
}
