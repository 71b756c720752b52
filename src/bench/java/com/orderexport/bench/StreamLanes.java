package com.orderexport.bench;

import com.orderexport.exporter.OrderExporter;
import com.orderexport.store.StoreId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingDeque;

/**
 * The stream mapping's lanes as the exporter meets them, without a stream: each lane runs one invocation at a
 * time, and an export that hands off goes to the back of its lane, behind whatever was queued meanwhile, as its
 * MODIFY record would. The benchmark puts each job on the lane it chooses.
 */
final class StreamLanes implements AutoCloseable {

    /** One queued export job and when it was done. */
    private record Queued(OrderExporter exporter, StoreId store, String jobId, CompletableFuture<Double> done,
                          long submittedNanos) {}

    private final List<BlockingDeque<Queued>> lanes = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    StreamLanes(int count) {
        for (int i = 0; i < count; i++) {
            BlockingDeque<Queued> lane = new LinkedBlockingDeque<>();
            lanes.add(lane);
            Thread thread = new Thread(() -> run(lane), "lane-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    /** Queues a job on a lane; the future gives the seconds from now until the job completed. */
    CompletableFuture<Double> submit(int lane, OrderExporter exporter, StoreId store, String jobId) {
        CompletableFuture<Double> done = new CompletableFuture<>();
        lanes.get(lane).add(new Queued(exporter, store, jobId, done, System.nanoTime()));
        return done;
    }

    private static void run(BlockingDeque<Queued> lane) {
        try {
            while (true) {
                Queued job = lane.take();
                try {
                    OrderExporter.Outcome outcome = job.exporter().export(job.store(), job.jobId(),
                            Instant.now().plus(Duration.ofMinutes(15)));
                    switch (outcome) {
                        case HANDED_OFF -> lane.add(job);
                        case COMPLETE -> job.done().complete(SideBySide.secondsSince(job.submittedNanos()));
                        default -> job.done().completeExceptionally(
                                new IllegalStateException("export of " + job.jobId() + " ended " + outcome));
                    }
                } catch (RuntimeException e) {
                    job.done().completeExceptionally(e);
                }
            }
        } catch (InterruptedException closed) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        threads.forEach(Thread::interrupt);
    }
}
