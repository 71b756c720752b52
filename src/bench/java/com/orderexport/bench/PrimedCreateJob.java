package com.orderexport.bench;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.orderexport.api.JobsApiHandler;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;

/**
 * P6b's child JVM: what SnapStart snapshots and then restores — the handler constructed and its checkpoint hooks
 * run ({@code org.crac}, through the runtime in {@code com.orderexport.bench.crac}) — and then the first
 * create-job request, timed from the restore to the response. {@code ours} is the API handler, {@code bare} the
 * bare handler. Prints {@code RESPONSE status=.. first_ms=.. classes_first=.. resources=..}.
 */
public final class PrimedCreateJob {

    private PrimedCreateJob() {}

    public static void main(String[] args) {
        try {
            RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler =
                    args[0].equals("ours") ? new JobsApiHandler() : new BareCreateHandler();
            org.crac.Core.checkpointRestore();
            APIGatewayV2HTTPEvent event = CreateJobEvent.event();
            ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
            long loadedBefore = classes.getTotalLoadedClassCount();
            long restored = System.nanoTime();
            APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);
            double firstMillis = (System.nanoTime() - restored) / 1e6;
            System.out.println("RESPONSE status=" + response.getStatusCode() + " first_ms=" + firstMillis
                    + " classes_first=" + (classes.getTotalLoadedClassCount() - loadedBefore)
                    + " resources=" + com.orderexport.bench.crac.Core.registered());
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.out.flush();
        System.exit(0);
    }
}
