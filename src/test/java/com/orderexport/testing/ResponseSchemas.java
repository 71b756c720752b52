package com.orderexport.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;

/** Checks response bodies against the component schemas of Elastic Path's published OpenAPI file. */
public final class ResponseSchemas {

    private static final JsonNode COMPONENTS = components();

    private ResponseSchemas() {}

    /** A {@code {"data": Job}} body. */
    public static void assertJobBody(JsonNode body) {
        assertValid("Job", body.path("data"));
    }

    /** A {@code {"data": [Job...]}} body. */
    public static void assertJobListBody(JsonNode body) {
        assertThat(body.path("data").isArray()).as("data is an array").isTrue();
        body.path("data").forEach(job -> assertValid("Job", job));
    }

    public static void assertFileLinkBody(JsonNode body) {
        assertValid("FileLink", body.path("data"));
    }

    public static void assertErrorBody(JsonNode body) {
        assertValid("ErrorResponse", body);
    }

    private static void assertValid(String schemaName, JsonNode value) {
        ObjectNode root = new ObjectMapper().createObjectNode();
        root.put("$ref", "#/components/schemas/" + schemaName);
        root.set("components", COMPONENTS);
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(root);
        Set<ValidationMessage> errors = schema.validate(value);
        assertThat(errors).as("%s against the %s schema", value, schemaName).isEmpty();
    }

    private static JsonNode components() {
        try (InputStream in = ResponseSchemas.class.getResourceAsStream("/reference/exporter-openapi.yaml")) {
            return new ObjectMapper(new YAMLFactory()).readTree(in).path("components");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
