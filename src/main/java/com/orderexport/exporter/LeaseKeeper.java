package com.orderexport.exporter;

import com.orderexport.jobs.ExportClaim;
import com.orderexport.jobs.ExportLeases;
import com.orderexport.jobs.LeaseLostException;
import com.orderexport.observe.Log;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The heartbeat of a run's claim, on a thread of its own for the whole run (pages, parts, completion,
 * checkpoint): renews the lease once a third of it has passed, or sooner to publish new rows every few
 * seconds. A renewal the database refuses means another run has the job; a renewal that cannot reach the
 * database is tried again until the lease would lapse. Either way the run is told to stop writing.
 */
final class LeaseKeeper implements AutoCloseable {

    private final ExportLeases leases;
    private final ExportClaim claim;
    private final Duration lease;
    private final Clock clock;
    private final Supplier<Progress> progress;
    private final Runnable onLost;
    private final Log log;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "lease");
        thread.setDaemon(true);
        return thread;
    });
    private Instant leaseUntil;
    private Instant nextProgress;
    private long reported = -1;
    /** When this run first knew its share, and that share: the start of the pace its estimate goes by. */
    private Instant paceSince;
    private Double paceSinceShare;
    private volatile boolean lost;

    /** Where the run stands: rows written, and the share of the orders' created_at extent read (null: unknown). */
    record Progress(long rows, Double share) {}

    LeaseKeeper(ExportLeases leases, ExportClaim claim, Duration lease, Clock clock, Supplier<Progress> progress,
                Runnable onLost,
                Log log) {
        this.leases = leases;
        this.claim = claim;
        this.lease = lease;
        this.clock = clock;
        this.progress = progress;
        this.onLost = onLost;
        this.log = log;
        this.leaseUntil = claim.leaseUntil();
        this.nextProgress = clock.instant().plus(ExportRun.PROGRESS_EVERY);
        long tick = Math.max(50, Math.min(ExportRun.PROGRESS_EVERY.toMillis(), lease.toMillis() / 6));
        timer.scheduleWithFixedDelay(this::beat, tick, tick, TimeUnit.MILLISECONDS);
    }

    /** @throws LeaseLostException once the run may no longer write */
    void checkHeld() {
        if (lost) {
            throw new LeaseLostException(claim.job().id());
        }
    }

    private void beat() {
        if (lost) {
            return;
        }
        Instant now = clock.instant();
        Progress standing = progress.get();
        long current = standing.rows();
        boolean progressDue = current != reported && !now.isBefore(nextProgress);
        boolean leaseDue = !now.isBefore(leaseUntil.minus(lease.multipliedBy(2).dividedBy(3)));
        if (!progressDue && !leaseDue) {
            return;
        }
        try {
            if (paceSince == null && standing.share() != null) {
                paceSince = now;
                paceSinceShare = standing.share();
            }
            leaseUntil = leases.renew(claim, current, standing.share(),
                    Estimate.completionAt(paceSince, paceSinceShare, now, standing.share()).orElse(null), now, lease);
            reported = current;
            nextProgress = now.plus(ExportRun.PROGRESS_EVERY);
        } catch (LeaseLostException taken) {
            lose("lost its hold on the job (another run took it over, or the client cancelled it)");
        } catch (RuntimeException unreachable) {
            nextProgress = now.plus(ExportRun.PROGRESS_EVERY);
            if (!clock.instant().isBefore(leaseUntil)) {
                lose("could not renew its lease before it lapsed");
            } else {
                log.warn("export could not renew its lease, trying again", unreachable);
            }
        }
    }

    private void lose(String why) {
        lost = true;
        log.warn("export " + why + "; it stops writing");
        onLost.run();
    }

    /** Stops the heartbeat and waits for a renewal in flight, so none lands after the run's last write. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            if (!timer.awaitTermination(10, TimeUnit.SECONDS)) {
                lose("could not stop its heartbeat");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            lose("was interrupted while stopping its heartbeat");
        }
    }
}
