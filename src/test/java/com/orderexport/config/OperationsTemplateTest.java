package com.orderexport.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderexport.observe.CompletionEvent;
import com.orderexport.observe.Metrics;
import com.orderexport.stack.Template;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** template.yaml's operations side agrees with the code: log format, metric names, alarms, the bus grant. */
class OperationsTemplateTest {

    final Template template = Template.load();
    final ObjectMapper mapper = new ObjectMapper();

    @Test
    void bothFunctions_logJsonAtALevelThatNeverDropsMetricRecords() {
        JsonNode logging = template.globalOrOwn("JobsApiFunction", "LoggingConfig");

        assertThat(logging.path("LogFormat").asText()).isEqualTo("JSON");
        assertThat(logging.path("ApplicationLogLevel").asText()).isEqualTo("LogLevel");
        assertThat(template.globalOrOwn("OrderExportFunction", "LoggingConfig")).isEqualTo(logging);
        List<String> allowed = new ArrayList<>();
        template.parameter("LogLevel").path("AllowedValues").forEach(v -> allowed.add(v.asText()));
        // Metric records are INFO records: WARN or ERROR would filter them out with the logs.
        assertThat(allowed).containsExactlyInAnyOrder("DEBUG", "INFO");
        assertThat(template.parameterDefault("LogLevel")).isEqualTo("INFO");
    }

    @Test
    void theDashboard_isValidJsonAndShowsEveryMetricTheFunctionsPublish() throws Exception {
        String body = template.resource("OperationsDashboard").path("DashboardBody").asText();

        JsonNode dashboard = mapper.readTree(body.replaceAll("\\$\\{[^}]+}", "x"));

        assertThat(dashboard.path("widgets").size()).isGreaterThan(5);
        for (Metrics.Metric metric : Metrics.Metric.values()) {
            assertThat(body).as(metric.metricName).containsPattern("\\b" + metric.metricName + "\\b");
        }
        assertThat(body).contains("\"${MetricsNamespace}\"").contains("\"" + Metrics.SERVICE_DIMENSION + "\", \""
                + Metrics.SERVICE + "\"");
        assertThat(template.parameterDefault("MetricsNamespace")).isEqualTo(Settings.DEFAULT_METRICS_NAMESPACE);
    }

    @Test
    void everyAlarm_notifiesTheTopicOnlyWhenAnEmailIsGiven() {
        var alarms = template.resourcesOfType("AWS::CloudWatch::Alarm");

        assertThat(alarms.keySet()).containsExactlyInAnyOrder("FailureQueueAlarm", "ExportErrorsAlarm",
                "ThrottlesAlarm", "Api5xxRateAlarm", "IteratorAgeAlarm", "DeliveriesDeadLetteredAlarm");
        alarms.values().forEach(alarm -> {
            assertThat(alarm.path("AlarmActions").toString()).contains("HasAlarmEmail").contains("AlarmTopic");
            assertThat(alarm.path("TreatMissingData").asText()).isEqualTo("notBreaching");
        });
        assertThat(template.condition("AlarmTopic")).isEqualTo("HasAlarmEmail");
        assertThat(template.condition("AlarmEmailSubscription")).isEqualTo("HasAlarmEmail");
    }

    @Test
    void theFunctionsThatDecideJobs_mayPutEventsOnTheirBusOnly_andTheApiFunctionOnlyManageScheduleDeliveries() {
        for (String function : List.of("OrderExportFunction", "SweeperFunction")) {
            assertThat(statementsWith(function, "events:")).as(function).singleElement().satisfies(statement ->
                    assertThat(statement).contains("\"events:PutEvents\"").contains("event-bus/${EventBusName}")
                            .doesNotContain("*"));
            assertThat(template.environmentOf(function)).containsEntry(Settings.EVENT_BUS_NAME, "EventBusName");
        }
        // The API function sets up and takes down schedules' deliveries, all named order-export-<id>, and publishes
        // nothing itself.
        assertThat(statementsWith("JobsApiFunction", "events:")).isNotEmpty().allSatisfy(statement ->
                assertThat(statement).doesNotContain("PutEvents").contains("order-export-*"));
        assertThat(statementsWith("JobsApiFunction", "iam:PassRole")).singleElement()
                .satisfies(statement -> assertThat(statement).contains("DeliveryRole"));
        assertThat(template.parameterDefault("EventBusName")).isEqualTo("default");
        assertThat(CompletionEvent.SOURCE).isEqualTo("order-export");
    }

    private List<String> statementsWith(String function, String text) {
        List<String> found = new ArrayList<>();
        template.resource(function).path("Policies").forEach(policy -> policy.path("Statement").forEach(statement -> {
            if (statement.toString().contains(text)) {
                found.add(statement.toString());
            }
        }));
        return found;
    }
}
