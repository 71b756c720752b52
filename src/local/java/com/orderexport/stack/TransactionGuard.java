package com.orderexport.stack;

import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Keeps every other DynamoDB write of this JVM out of the way while a transaction runs on the emulator.
 * moto runs a transaction by copying the whole table first and, if the transaction is cancelled (an
 * Idempotency-Key conflict), putting that copy back: any write that landed in between is silently undone,
 * so a job the API has just accepted can vanish. A transaction therefore takes this lock exclusively and
 * other writes share it. It is a global SDK interceptor (listed in the test class path's
 * {@code software/amazon/awssdk/global/handlers/execution.interceptors}) so it reaches the clients the
 * functions build for themselves; it does nothing until {@link AwsEmulator#pointSdkHere()} turns it on, and
 * it never reaches the Lambda artifact. Writes from other processes are not covered.
 */
public final class TransactionGuard implements ExecutionInterceptor {

    static final String ENABLED = "orderexport.emulator.guardTransactions";
    private static final ReentrantReadWriteLock LOCK = new ReentrantReadWriteLock(true);
    private static final ExecutionAttribute<Lock> HELD = new ExecutionAttribute<>("TransactionGuard.held");

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (!Boolean.getBoolean(ENABLED)) {
            return;
        }
        SdkRequest request = context.request();
        Lock lock = request instanceof TransactWriteItemsRequest ? LOCK.writeLock()
                : request instanceof PutItemRequest || request instanceof UpdateItemRequest
                        || request instanceof DeleteItemRequest || request instanceof BatchWriteItemRequest ? LOCK.readLock()
                : null;
        if (lock != null) {
            lock.lock();
            attributes.putAttribute(HELD, lock);
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        release(attributes);
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        release(attributes);
    }

    private static void release(ExecutionAttributes attributes) {
        Lock lock = attributes.getAttribute(HELD);
        if (lock != null) {
            attributes.putAttribute(HELD, null);
            lock.unlock();
        }
    }
}
