package com.orderexport.exporter;

import com.orderexport.jobs.ExportLeases;
import com.orderexport.orders.OrderStore;
import java.time.Clock;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What every export run works with, built once per container by {@link OrderExporter} and handed to each
 * {@link ExportRun}: the job leases, the orders table, the bucket and its checkpoints, the tuning and the clock.
 */
record ExportWork(ExportLeases leases, OrderStore orders, S3Client s3, String bucket, ExportTuning tuning, Clock clock,
                  CheckpointStore checkpoints) {}
