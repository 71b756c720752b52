package com.orderexport.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderexport.testing.SampleEventsContract;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The events/ files loaded as aws-lambda-java-tests loads them and handed, in this JVM, to an instance of the
 * class template.yaml's Handler string names: the quick path, checked as {@link SampleEventsContract} says.
 * {@code LambdaRuntimeIT} runs the same files on Lambda's own runtime client.
 */
class SampleEventsIT extends SampleEventsContract {

    private final Map<String, Object> handlers = new HashMap<>();
    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    protected JsonNode invoke(String function, Path event) throws Exception {
        Object handler = handlers.computeIfAbsent(function, stack.resources()::handlerOf);
        // The typed handleRequest, not the bridge method that takes Object.
        Method handle = Arrays.stream(handler.getClass().getMethods())
                .filter(m -> m.getName().equals("handleRequest") && !m.isBridge() && m.getParameterCount() == 2
                        && m.getParameterTypes()[1] == Context.class)
                .findFirst().orElseThrow(() -> new AssertionError(function + "'s handler has no handleRequest"));
        Object input = EventLoader.loadEvent(event.toString(), handle.getParameterTypes()[0]);
        return mapper.valueToTree(handle.invoke(handler, input, null));
    }
}
