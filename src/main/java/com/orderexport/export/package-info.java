/**
 * The export adapter and its run: a stream record in, a claimed job streamed from the orders table through the
 * CSV writer into an S3 multipart upload, checkpointed and handed on when time runs short, then decided.
 */
package com.orderexport.export;
