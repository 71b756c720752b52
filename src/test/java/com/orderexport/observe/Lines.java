package com.orderexport.observe;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A Lambda logger that keeps what it is given, as the runtime would receive it: the bytes and their level. */
final class Lines implements LambdaLogger {

    record Line(String text, LogLevel level) {}

    private static final ObjectMapper MAPPER = new ObjectMapper();
    final List<Line> lines = new ArrayList<>();

    @Override
    public void log(String message) {
        throw new AssertionError("records are written as bytes, never as text the runtime would wrap: " + message);
    }

    @Override
    public void log(byte[] message) {
        log(message, LogLevel.UNDEFINED);
    }

    @Override
    public void log(String message, LogLevel level) {
        throw new AssertionError("records are written as bytes, never as text the runtime would wrap: " + message);
    }

    @Override
    public synchronized void log(byte[] message, LogLevel level) {
        lines.add(new Line(new String(message, StandardCharsets.UTF_8), level));
    }

    synchronized List<JsonNode> json() {
        return lines.stream().map(line -> {
            try {
                return MAPPER.readTree(line.text());
            } catch (Exception e) {
                throw new AssertionError("not one JSON object: " + line.text(), e);
            }
        }).toList();
    }

    JsonNode only() {
        List<JsonNode> all = json();
        if (all.size() != 1) {
            throw new AssertionError("expected one record, got " + all.size() + ": " + lines);
        }
        return all.get(0);
    }
}
