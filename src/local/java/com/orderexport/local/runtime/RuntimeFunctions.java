package com.orderexport.local.runtime;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderexport.stack.StackResources;
import com.orderexport.stack.Template;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Function;

/**
 * The local stack's functions on Lambda's own runtime client ({@code --runtime lambda}): each a
 * {@link RequestHandler} that the stand-ins call as they call the handler classes, but which turns the event into
 * Lambda's JSON (with the runtime's own serialization library), hands it to an idle execution environment of
 * that function (starting one more when all are busy, as Lambda scales out, one invocation per environment), and
 * reads the answer back. A function error arrives as {@link FunctionError}, as Lambda reports it to API Gateway
 * and to the event source mapping.
 */
public final class RuntimeFunctions implements AutoCloseable {

    /** Lambda's error JSON for an invocation, as the service reports a function error to its caller. */
    public static final class FunctionError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String errorType;

        FunctionError(String function, String errorType, String errorMessage) {
            super(function + " failed (" + errorType + "): " + errorMessage);
            this.errorType = errorType;
        }

        public String errorType() {
            return errorType;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Template template;
    private final StackResources resources;
    private final String endpoint;
    private final Function<String, OutputStream> logs;
    private final LambdaLayout layout;
    private final Map<String, Pool> pools = new ConcurrentHashMap<>();

    /**
     * @param endpoint the emulator the functions' SDK clients talk to
     * @param logs     where each function's output goes, by logical id
     */
    public RuntimeFunctions(Template template, StackResources resources, String endpoint,
                            Function<String, OutputStream> logs) {
        this.template = template;
        this.resources = resources;
        this.endpoint = endpoint;
        this.logs = logs;
        this.layout = LambdaLayout.of(Path.of("target"));
    }

    /** The function as a handler of the event type its Handler class takes. */
    public RequestHandler<Object, Object> handlerOf(String functionId) {
        Pool pool = pools.computeIfAbsent(functionId, this::pool);
        return (event, context) -> pool.invoke(event, context);
    }

    private Pool pool(String functionId) {
        Map<String, String> env = new java.util.HashMap<>(resources.environmentOf(functionId));
        env.put("AWS_ENDPOINT_URL", endpoint);
        FunctionSpec spec = FunctionSpec.of(template, functionId, env);
        Method handle = typedHandleRequest(template.handlerClassOf(functionId));
        // The template turns SnapStart on for every function: an environment runs the hooks before its first event.
        FunctionEnvironment.Options options = new FunctionEnvironment.Options(true, Invoke.aws(System.getenv()),
                List.of(), logs.apply(functionId));
        return new Pool(spec, options, handle.getParameterTypes()[0], handle.getReturnType());
    }

    /** The handler class's handleRequest for its own event type (not the bridge method that takes Object). */
    private static Method typedHandleRequest(String className) {
        try {
            return Arrays.stream(Class.forName(className).getMethods())
                    .filter(m -> m.getName().equals("handleRequest") && !m.isBridge() && m.getParameterCount() == 2
                            && m.getParameterTypes()[1] == Context.class)
                    .findFirst().orElseThrow(() -> new IllegalStateException(className + " has no handleRequest"));
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("template.yaml names a handler class that does not exist: " + className, e);
        }
    }

    /**
     * The serializer the runtime client picks for a handler's type: the events library's own (with its mixins)
     * for an event class it supports, plain Jackson for anything else.
     */
    static PojoSerializer<?> serializerFor(Class<?> type) {
        return LambdaEventSerializers.isLambdaSupportedEvent(type.getName())
                ? LambdaEventSerializers.serializerFor(type, RuntimeFunctions.class.getClassLoader())
                : JacksonFactory.getInstance().getSerializer(type);
    }

    /** A function's environments, each taking one invocation at a time. */
    private final class Pool {
        private final FunctionSpec spec;
        private final FunctionEnvironment.Options options;
        private final PojoSerializer<Object> input;
        private final PojoSerializer<Object> output;
        private final ConcurrentLinkedDeque<FunctionEnvironment> idle = new ConcurrentLinkedDeque<>();
        private final List<FunctionEnvironment> all = new ArrayList<>();

        @SuppressWarnings("unchecked") // the serializers read and write exactly the classes they are made for
        Pool(FunctionSpec spec, FunctionEnvironment.Options options, Class<?> inputType, Class<?> outputType) {
            this.spec = spec;
            this.options = options;
            this.input = (PojoSerializer<Object>) serializerFor(inputType);
            this.output = (PojoSerializer<Object>) serializerFor(outputType);
        }

        Object invoke(Object event, Context context) {
            ByteArrayOutputStream json = new ByteArrayOutputStream();
            input.toJson(event, json);
            FunctionEnvironment environment = idle.pollFirst();
            try {
                if (environment == null) {
                    environment = FunctionEnvironment.start(spec, layout, options);
                    synchronized (all) {
                        all.add(environment);
                    }
                }
                FunctionEnvironment.Result result = environment.invoke(json.toByteArray());
                if (result.failed()) {
                    JsonNode error = JSON.readTree(result.payload());
                    throw new FunctionError(spec.name(), error.path("errorType").asText("Unhandled"),
                            error.path("errorMessage").asText(result.payloadText()));
                }
                return output.fromJson(new ByteArrayInputStream(result.payload()));
            } catch (IOException e) {
                throw new FunctionError(spec.name(), "Runtime.Unavailable", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FunctionError(spec.name(), "Runtime.Interrupted", "interrupted while invoking");
            } finally {
                // A timed-out or crashed environment is gone, as in Lambda; a live one takes the next event.
                if (environment != null && environment.isAlive()) {
                    idle.addFirst(environment);
                }
            }
        }

        void close() {
            synchronized (all) {
                all.forEach(FunctionEnvironment::close);
            }
        }
    }

    @Override
    public void close() {
        pools.values().forEach(Pool::close);
    }

    /** An output stream handing each complete line to {@code lines}: how a function's output reaches a log view. */
    public static OutputStream lines(java.util.function.Consumer<String> lines) {
        return new OutputStream() {
            private final ByteArrayOutputStream line = new ByteArrayOutputStream();

            @Override
            public synchronized void write(int b) {
                if (b == '\n') {
                    lines.accept(line.toString(StandardCharsets.UTF_8));
                    line.reset();
                } else {
                    line.write(b);
                }
            }

            @Override
            public synchronized void write(byte[] bytes, int offset, int length) {
                for (int i = offset; i < offset + length; i++) {
                    write(bytes[i]);
                }
            }
        };
    }
}
