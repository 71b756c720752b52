package com.orderexport.bench;

import com.orderexport.api.JobsApiHandler;

/**
 * P6's child JVM, our side: what a cold Lambda container does for its first create-job request — construct
 * the handler template.yaml names (clients from the environment) and handle one event. Prints
 * {@code RESPONSE status=.. classes=..}.
 */
public final class ColdCreateJob {

    private ColdCreateJob() {}

    public static void main(String[] args) {
        CreateJobEvent.answerOnceAndExit(new JobsApiHandler());
    }
}
