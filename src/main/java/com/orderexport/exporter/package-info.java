/**
 * The export engine: a job claimed under a lease, its orders streamed from the orders table through a file
 * format into an S3 multipart upload (in slices when big), checkpointed and handed on when time runs short, then
 * decided; and the sweeper that finishes what nothing is working on. It knows no Lambda type: the adapters in
 * {@code export} turn Lambda's events into calls on {@link com.orderexport.exporter.ExportEngine}.
 */
package com.orderexport.exporter;
