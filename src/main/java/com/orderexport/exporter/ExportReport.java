package com.orderexport.exporter;

import com.orderexport.exporter.OrderExporter.Outcome;
import com.orderexport.jobs.ExportClaim;
import com.orderexport.jobs.Job;
import com.orderexport.jobs.JobStatus;
import com.orderexport.jobs.LinkSigner;
import com.orderexport.jobs.ScheduledRun;
import com.orderexport.observe.CompletionEvent;
import com.orderexport.observe.CompletionPublisher;
import com.orderexport.observe.Log;
import com.orderexport.observe.Metrics;
import com.orderexport.observe.Metrics.Metric;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Tells operators and clients how an export run ended: one outcome line, its metrics, and for a job it decided
 * one completion event. Runs after the job is recorded, so nothing here can change the job.
 */
final class ExportReport {

    /** How a claimed run ended, with the facts its outcome line, metrics and completion event need. */
    record Ended(Outcome outcome, long rows, Long fileSize, String crc64nvme, String error,
                 Instant decidedAt) {}

    /** How a completed schedule run's event links to its file. */
    record Links(LinkSigner signer, Duration ttl) {}

    private final Metrics metrics;
    /** Null when no bus is configured: decisions are then not announced. */
    private final CompletionPublisher events;
    /** Null when the exporter signs no links: a schedule run's event then names its file without one. */
    private final Links links;

    ExportReport(Metrics metrics, CompletionPublisher events, Links links) {
        this.metrics = metrics;
        this.events = events;
        this.links = links;
    }

    /** A job's event as its schedule's receiver needs it: which run it is and, once complete, a fresh link. */
    static CompletionEvent asRun(CompletionEvent event, ScheduledRun run, String fileKey, Links links, Instant now) {
        if (run == null) {
            return event;
        }
        CompletionEvent ofRun = event.ofRun(run.scheduleId(), run.dueAt(), run.windowFrom(), run.windowTo());
        if (!event.completed() || fileKey == null || links == null) {
            return ofRun;
        }
        return ofRun.withLink(links.signer().sign(fileKey, links.ttl()), now.plus(links.ttl()));
    }

    /**
     * A job that stands cancelled, announced once (on the stream record of the write that cancelled it): counted,
     * and published as an {@code Export Job Cancelled} event.
     */
    void reportCancelled(Job job, Log jobLog) {
        jobLog.info("job cancelled", "outcome", "cancelled");
        metrics.put(jobLog, Metric.EXPORTS_CANCELLED, 1);
        if (events != null) {
            events.publish(asRun(new CompletionEvent(job.storeId().value(), job.id(), job.jobType(),
                    JobStatus.CANCELLED.wire(), null, null, null, null, job.createdAt(), job.updatedAt()),
                    job.scheduled(), null, links, job.updatedAt()), jobLog);
        }
    }

    /** The run's one outcome line, its metrics, and for a decided job its completion event. */
    void report(ExportClaim claim, Ended ended, Log runLog, long durationMillis) {
        String outcome = ended.outcome().name().toLowerCase(Locale.ROOT).replace('_', '-');
        Log outcomeLog = runLog.with("outcome", outcome).with("duration_ms", durationMillis);
        Metrics.Record record = metrics.record(outcomeLog).put(Metric.EXPORT_DURATION, durationMillis);
        switch (ended.outcome()) {
            case COMPLETE -> {
                outcomeLog.info("export complete", "rows", ended.rows(), "bytes", ended.fileSize());
                record.put(Metric.EXPORTS_COMPLETED, 1).put(Metric.EXPORT_ROWS, ended.rows())
                        .put(Metric.EXPORT_BYTES, ended.fileSize()).emit();
            }
            case FAILED -> {
                // Our own texts are safe to log; a filter's parse error may quote the filter (customer data).
                boolean ours = OrderExporter.NO_RESULTS.equals(ended.error())
                        || OrderExporter.UNEXPECTED.equals(ended.error());
                outcomeLog.info("export failed", "error", ours ? ended.error() : "the job's filter is invalid");
                if (!ours) {
                    outcomeLog.debug("export failed", "error", ended.error(), "filter", claim.job().filter());
                }
                record.put(Metric.EXPORTS_FAILED, 1).emit();
            }
            case HANDED_OFF -> {
                outcomeLog.info("export handed off to the next invocation", "rows", ended.rows());
                record.put(Metric.EXPORT_HAND_OFFS, 1).emit();
            }
            case CANCELLED -> {
                outcomeLog.info("export stopped: the job was cancelled", "rows", ended.rows());
                record.emit();
            }
            case SKIPPED, BUSY -> outcomeLog.info("export skipped: another run decides the job");
        }
        boolean complete = ended.outcome() == Outcome.COMPLETE;
        if (events != null && (complete || ended.outcome() == Outcome.FAILED)) {
            Job job = claim.job();
            CompletionEvent event = new CompletionEvent(job.storeId().value(), job.id(), job.jobType(),
                    (complete ? JobStatus.COMPLETE : JobStatus.FAILED).wire(), ended.error(),
                    complete ? ended.rows() : null, ended.fileSize(), ended.crc64nvme(), job.createdAt(),
                    ended.decidedAt());
            events.publish(asRun(event, job.scheduled(), complete ? ExportFiles.objectKey(job) : null, links,
                    ended.decidedAt()), runLog);
        }
    }
}
