package com.orderexport.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.orderexport.api.JobsApiHandler;
import java.lang.management.ManagementFactory;

/**
 * P6's child JVM, our side: what a cold Lambda container does for its first create-job request — construct
 * the handler template.yaml names (clients from the environment) and handle one event. Prints
 * {@code RESPONSE status=.. classes=..}.
 */
public final class ColdCreateJob {

    private ColdCreateJob() {}

    public static void main(String[] args) {
        try {
            APIGatewayV2HTTPResponse response = new JobsApiHandler().handleRequest(CreateJobEvent.event(), null);
            System.out.println("RESPONSE status=" + response.getStatusCode() + " classes="
                    + ManagementFactory.getClassLoadingMXBean().getLoadedClassCount());
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.out.flush();
        System.exit(0);
    }
}
