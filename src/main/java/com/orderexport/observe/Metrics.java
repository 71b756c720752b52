package com.orderexport.observe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes CloudWatch Embedded Metric Format records: one JSON log record per event, whose {@code _aws} member tells
 * CloudWatch Logs which of its top-level members are metrics (in the configured namespace, with the
 * {@code Service} dimension and any dimensions the record adds). The logger's bound fields (request, store, job)
 * ride along as plain members, so the record that counts a failure also says which job failed.
 *
 * <p>A record is written at INFO whatever the logger's own minimum; the template lets the application log level go
 * no higher than INFO, because Lambda would drop metric records below it.
 */
public final class Metrics {

    /** The dimension every metric carries: one service, so alarms and the dashboard need no other. */
    public static final String SERVICE_DIMENSION = "Service";
    public static final String SERVICE = "order-export";

    /** CloudWatch's unit names, as EMF spells them. */
    public enum Unit {
        COUNT("Count"), MILLISECONDS("Milliseconds"), BYTES("Bytes");

        final String cloudWatch;

        Unit(String cloudWatch) {
            this.cloudWatch = cloudWatch;
        }
    }

    /** Every metric the functions publish; the dashboard and alarms in template.yaml name these. */
    public enum Metric {
        JOBS_CREATED("JobsCreated", Unit.COUNT),
        /** With a {@code Status} dimension: the HTTP status a create-job request was refused with. */
        JOBS_REJECTED("JobsRejected", Unit.COUNT),
        EXPORTS_COMPLETED("ExportsCompleted", Unit.COUNT),
        EXPORTS_FAILED("ExportsFailed", Unit.COUNT),
        EXPORTS_CANCELLED("ExportsCancelled", Unit.COUNT),
        /** Wall time of one export run (one invocation's share of a handed-off export). */
        EXPORT_DURATION("ExportDuration", Unit.MILLISECONDS),
        EXPORT_ROWS("ExportRows", Unit.COUNT),
        EXPORT_BYTES("ExportBytes", Unit.BYTES),
        EXPORT_HAND_OFFS("ExportHandOffs", Unit.COUNT),
        /** From a job's creation to its first claim by an export run. */
        JOB_WAIT_TIME("JobWaitTime", Unit.MILLISECONDS),
        /** Completion events that could not be published after every retry. */
        COMPLETION_EVENTS_FAILED("CompletionEventsFailed", Unit.COUNT);

        public final String metricName;
        final Unit unit;

        Metric(String metricName, Unit unit) {
            this.metricName = metricName;
            this.unit = unit;
        }
    }

    private final String namespace;

    public Metrics(String namespace) {
        if (namespace == null || namespace.isBlank()) {
            throw new IllegalArgumentException("a metrics namespace is required");
        }
        this.namespace = namespace;
    }

    public String namespace() {
        return namespace;
    }

    /** A record written through {@code log}, carrying its bound fields. */
    public Record record(Log log) {
        return new Record(log);
    }

    /** Shorthand for a record of one metric. */
    public void put(Log log, Metric metric, long value) {
        record(log).put(metric, value).emit();
    }

    /** One EMF record under construction; {@link #emit} writes it. */
    public final class Record {

        private final Log log;
        private final Map<Metric, Long> values = new LinkedHashMap<>();
        private final Map<String, String> dimensions = new LinkedHashMap<>();
        private final Map<String, Object> properties = new LinkedHashMap<>();

        private Record(Log log) {
            this.log = log;
            dimensions.put(SERVICE_DIMENSION, SERVICE);
        }

        public Record put(Metric metric, long value) {
            values.put(metric, value);
            return this;
        }

        /** A dimension: part of the metric's identity, so only for values of low cardinality (a status, never an id). */
        public Record dimension(String name, String value) {
            if (Log.RESERVED.contains(name)) {
                throw new IllegalArgumentException(name + " cannot be a dimension");
            }
            dimensions.put(name, value);
            return this;
        }

        /** A member that is neither metric nor dimension: searchable in Logs Insights, free of metric cost. */
        public Record property(String name, Object value) {
            properties.put(name, value);
            return this;
        }

        public void emit() {
            if (values.isEmpty()) {
                return;
            }
            List<String> metricDefinitions = new ArrayList<>();
            for (Metric metric : values.keySet()) {
                StringBuilder definition = new StringBuilder("{\"Name\":");
                JsonText.string(definition, metric.metricName);
                definition.append(",\"Unit\":");
                JsonText.string(definition, metric.unit.cloudWatch);
                metricDefinitions.add(definition.append('}').toString());
            }
            StringBuilder dimensionSet = new StringBuilder("[[");
            boolean first = true;
            for (String name : dimensions.keySet()) {
                if (!first) {
                    dimensionSet.append(',');
                }
                first = false;
                JsonText.string(dimensionSet, name);
            }
            dimensionSet.append("]]");
            StringBuilder aws = new StringBuilder(160).append("{\"Timestamp\":").append(log.clock().millis())
                    .append(",\"CloudWatchMetrics\":[{\"Namespace\":");
            JsonText.string(aws, namespace);
            aws.append(",\"Dimensions\":").append(dimensionSet).append(",\"Metrics\":[")
                    .append(String.join(",", metricDefinitions)).append("]}]}");
            JsonText json = new JsonText()
                    .field("timestamp", log.clock().instant())
                    .field("level", Log.Level.INFO.name())
                    .field("message", "metrics")
                    .raw("_aws", aws.toString());
            // Fields first, so a metric or dimension of the same name wins over a bound field.
            Map<String, Object> members = new LinkedHashMap<>(log.fields());
            members.putAll(properties);
            members.putAll(dimensions);
            for (Map.Entry<Metric, Long> value : values.entrySet()) {
                members.put(value.getKey().metricName, value.getValue());
            }
            for (Map.Entry<String, Object> member : members.entrySet()) {
                json.field(member.getKey(), member.getValue());
            }
            log.writeRecord(json.close(), Log.Level.INFO);
        }
    }
}
