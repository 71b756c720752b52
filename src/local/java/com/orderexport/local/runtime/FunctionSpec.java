package com.orderexport.local.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderexport.stack.Template;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One function of template.yaml as Lambda would configure it: its Handler string, memory, timeout, log settings
 * and environment. The environment is resolved as {@code sam local invoke} resolves it: a reference to a
 * resource reads as its logical id, a parameter as its default, a conditional value as absent; then the
 * overrides (an {@code --env-vars} file's entries, or the created names of a test stack) replace the variables
 * the template declares and no others.
 */
record FunctionSpec(String name, String handler, int memoryMb, Duration timeout, String logFormat, String logLevel,
                    Map<String, String> environment) {

    static FunctionSpec of(Template template, String functionId, Map<String, String> overrides) {
        if (!template.resourcesOfType("AWS::Serverless::Function").containsKey(functionId)) {
            throw new IllegalArgumentException("template.yaml has no function " + functionId + " (its functions: "
                    + template.resourcesOfType("AWS::Serverless::Function").keySet() + ")");
        }
        Map<String, String> environment = new LinkedHashMap<>();
        template.environmentOf(functionId).forEach((name, value) -> {
            String resolved = template.isParameter(value) ? template.parameterDefault(value) : value;
            if (overrides.containsKey(name)) {
                environment.put(name, overrides.get(name));
            } else if (!resolved.isEmpty()) {
                environment.put(name, resolved);
            }
        });
        environment.values().removeIf(String::isEmpty);
        JsonNode logging = template.globalOrOwn(functionId, "LoggingConfig");
        String level = logging.path("ApplicationLogLevel").asText("");
        return new FunctionSpec(functionId, template.handlerOf(functionId),
                template.globalOrOwn(functionId, "MemorySize").asInt(128),
                Duration.ofSeconds(template.globalOrOwn(functionId, "Timeout").asInt(3)),
                logging.path("LogFormat").asText("Text"),
                template.isParameter(level) ? template.parameterDefault(level) : level,
                Map.copyOf(environment));
    }

    /** The ARN Lambda passes with each event, in the account and region sam local uses. */
    String arn(String region) {
        return "arn:aws:lambda:" + region + ":123456789012:function:" + name;
    }
}
