package com.orderexport.testing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.orderexport.config.Settings;
import com.orderexport.store.StoreId;
import com.orderexport.stack.AwsEmulator;
import com.orderexport.stack.StackResources;
import com.orderexport.stack.Template;
import java.lang.reflect.Method;
import java.util.UUID;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The template's tables, queues and bucket on the emulator, created for one test class under run-unique names and
 * deleted when the class is done.
 */
public final class TestStack implements AutoCloseable {

    private final AwsEmulator emulator;
    private final StackResources resources;
    private final DynamoDbClient dynamo;
    private final S3Client s3;

    TestStack(AwsEmulator emulator, Template template) {
        this.emulator = emulator;
        emulator.pointSdkHere();
        this.dynamo = DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        this.s3 = S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).forcePathStyle(true).build();
        this.resources = StackResources.create(template, dynamo, s3, UUID.randomUUID().toString().substring(0, 8));
    }

    @Override
    public void close() {
        resources.delete(dynamo, s3);
    }

    public Template template() {
        return resources.template();
    }

    public StackResources resources() {
        return resources;
    }

    public AwsEmulator emulator() {
        return emulator;
    }

    public DynamoDbClient dynamo() {
        return dynamo;
    }

    public S3Client s3() {
        return s3;
    }

    public String nameOf(String logicalId) {
        return resources.nameOf(logicalId);
    }

    public Settings settingsOf(String functionId) {
        return resources.settingsOf(functionId);
    }

    /**
     * The handler of a template function: an instance of the class its Handler string names, built with the
     * settings the template gives that function. Fails unless that class handles these event types.
     */
    public <I, O> RequestHandler<I, O> handler(String functionId, Class<I> event, Class<O> response) {
        Object handler = resources.handlerOf(functionId);
        try {
            Method handle = handler.getClass().getMethod("handleRequest", event, Context.class);
            if (!(handler instanceof RequestHandler<?, ?>) || !response.isAssignableFrom(handle.getReturnType())) {
                throw new IllegalArgumentException(
                        functionId + "'s handler does not answer " + response.getSimpleName());
            }
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(functionId + "'s handler does not take " + event.getSimpleName(), e);
        }
        @SuppressWarnings("unchecked") // its handleRequest takes I and returns O, checked above
        RequestHandler<I, O> typed = (RequestHandler<I, O>) handler;
        return typed;
    }

    /** A store id no other test uses, so tests never see each other's data. */
    public static StoreId newStore() {
        return new StoreId("store-" + UUID.randomUUID().toString().substring(0, 13));
    }
}
