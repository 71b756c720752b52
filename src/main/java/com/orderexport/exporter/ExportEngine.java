package com.orderexport.exporter;

import com.orderexport.observe.Log;
import com.orderexport.store.StoreId;
import java.time.Instant;

/**
 * What the export function's stream adapter asks of the engine: export the job a record stands for. The adapter
 * depends on this alone, so it is tested with a stand-in of the engine and the engine without Lambda.
 */
public interface ExportEngine {

    /**
     * Exports the job if the record's {@code turn} is still the job's and the job's turn in its store has come,
     * handing it on before {@code deadline}; logs through {@code jobLog}.
     *
     * @throws RuntimeException only when the job's outcome could not be recorded; the caller retries the record
     */
    OrderExporter.Outcome export(StoreId store, String jobId, long turn, Instant deadline, Log jobLog);

    /**
     * Announces a job the record shows cancelled: counts it, publishes its event and wakes the store's next job.
     *
     * @throws RuntimeException when the job could not be read; the caller retries the record
     */
    void cancelled(StoreId store, String jobId, Log jobLog);

    /** The logger the adapter binds to each invocation. */
    Log log();
}
