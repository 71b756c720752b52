/**
 * Telling operators what the functions do: one structured JSON logger, CloudWatch Embedded Metric Format
 * records written through it, and the EventBridge event published when a job completes or fails. Knows no job
 * table, handler or Lambda event: the adapters hand it plain values.
 */
package com.orderexport.observe;
