package com.orderexport.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * template.yaml, read as data: the single source of the tables, bucket, routes, handler strings and stream
 * settings that tests and the local stack build from. CloudFormation's short tags ({@code !Ref X}) read as
 * their plain argument ({@code X}).
 */
public final class Template {

    public static final Path DEFAULT_PATH = Path.of("template.yaml");

    private final JsonNode root;

    private Template(JsonNode root) {
        this.root = root;
    }

    public static Template load() {
        return load(DEFAULT_PATH);
    }

    public static Template load(Path path) {
        try {
            return new Template(new ObjectMapper(new YAMLFactory()).readTree(Files.readString(path)));
        } catch (IOException e) {
            String reason = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            throw new UncheckedIOException("cannot read " + path + ": " + reason, e);
        }
    }

    /** A top-level section as it is written: {@code Parameters}, {@code Outputs}, {@code Globals}, ... */
    public JsonNode section(String name) {
        return root.path(name);
    }

    /** Resources of one CloudFormation type, by logical id, in template order. */
    public Map<String, JsonNode> resourcesOfType(String type) {
        Map<String, JsonNode> found = new LinkedHashMap<>();
        root.path("Resources").properties().forEach(entry -> {
            if (type.equals(entry.getValue().path("Type").asText())) {
                found.put(entry.getKey(), entry.getValue().path("Properties"));
            }
        });
        return found;
    }

    public JsonNode resource(String logicalId) {
        JsonNode resource = root.path("Resources").path(logicalId);
        if (resource.isMissingNode()) {
            throw new IllegalArgumentException("template.yaml has no resource " + logicalId);
        }
        return resource.path("Properties");
    }

    /** The Condition a resource is created under, or "" when it always is. */
    public String condition(String logicalId) {
        return root.path("Resources").path(logicalId).path("Condition").asText("");
    }

    public boolean isParameter(String name) {
        return root.path("Parameters").has(name);
    }

    public String parameterDefault(String name) {
        return root.path("Parameters").path(name).path("Default").asText("");
    }

    /** A parameter's declaration (Type, Default, AllowedValues, ...). */
    public JsonNode parameter(String name) {
        return root.path("Parameters").path(name);
    }

    /** A function property, from the function itself or else from Globals (e.g. Timeout, MemorySize). */
    public JsonNode globalOrOwn(String functionId, String property) {
        JsonNode own = resource(functionId).path(property);
        return own.isMissingNode() ? root.path("Globals").path("Function").path(property) : own;
    }

    /** A function's Handler string, e.g. {@code com.example.Handler::handleRequest}. */
    public String handlerOf(String functionId) {
        return resource(functionId).path("Handler").asText();
    }

    /** The class part of a function's Handler string. */
    public String handlerClassOf(String functionId) {
        return handlerOf(functionId).split("::")[0];
    }

    /** A function's environment variables as written: {@code !Ref X} reads as {@code X}. */
    public Map<String, String> environmentOf(String functionId) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode globals = root.path("Globals").path("Function").path("Environment").path("Variables");
        JsonNode own = resource(functionId).path("Environment").path("Variables");
        for (JsonNode variables : List.of(globals, own)) {
            variables.properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
        }
        return env;
    }

    /** A function's events of one type (e.g. {@code HttpApi}, {@code DynamoDB}), by event name. */
    public Map<String, JsonNode> eventsOf(String functionId, String eventType) {
        Map<String, JsonNode> events = new LinkedHashMap<>();
        resource(functionId).path("Events").properties().forEach(entry -> {
            if (eventType.equals(entry.getValue().path("Type").asText())) {
                events.put(entry.getKey(), entry.getValue().path("Properties"));
            }
        });
        return events;
    }

    /** The HTTP API routes a function serves, as "METHOD /path" (the {@code $default} route as itself). */
    public List<String> httpRoutesOf(String functionId) {
        List<String> routes = new ArrayList<>();
        eventsOf(functionId, "HttpApi").values().forEach(props -> {
            String path = props.path("Path").asText();
            routes.add("$default".equals(path) ? path : props.path("Method").asText().toUpperCase() + " " + path);
        });
        return routes;
    }

    /** A route of an HTTP API: its key ("GET /v2/jobs/{id}" or "$default"), the function behind it, and whether
     * the API's default JWT authorizer guards it (an event's {@code Auth: Authorizer: NONE} opts out). */
    public record HttpRoute(String routeKey, String functionId, boolean authorized) {}

    /** Every route of an HTTP API (events naming it by {@code ApiId}), of all the functions serving it. */
    public List<HttpRoute> httpRoutesOfApi(String apiId) {
        boolean guarded = resource(apiId).path("Auth").has("DefaultAuthorizer");
        List<HttpRoute> routes = new ArrayList<>();
        resourcesOfType("AWS::Serverless::Function").keySet().forEach(functionId ->
                eventsOf(functionId, "HttpApi").values().forEach(props -> {
                    if (apiId.equals(props.path("ApiId").asText())) {
                        String path = props.path("Path").asText();
                        String key = "$default".equals(path) ? path
                                : props.path("Method").asText().toUpperCase() + " " + path;
                        boolean optedOut = "NONE".equals(props.path("Auth").path("Authorizer").asText());
                        routes.add(new HttpRoute(key, functionId, guarded && !optedOut));
                    }
                }));
        return routes;
    }

    /** The audience an HTTP API's default JWT authorizer requires, a parameter read as its default. */
    public String jwtAudienceOf(String apiId) {
        JsonNode auth = resource(apiId).path("Auth");
        String audience = auth.path("Authorizers").path(auth.path("DefaultAuthorizer").asText())
                .path("JwtConfiguration").path("audience").path(0).asText();
        return isParameter(audience) ? parameterDefault(audience) : audience;
    }
}
