package com.orderexport.exporter;

import com.orderexport.formats.ExportFormat;
import com.orderexport.jobs.Job;
import com.orderexport.store.StoreId;

/** Where an export's file lives in the bucket and what it is called when downloaded, in its job's format. */
public final class ExportFiles {

    public static final String PREFIX = "exports/";

    private ExportFiles() {}

    public static String objectKey(StoreId store, String jobId, ExportFormat format) {
        return PREFIX + store.value() + "/" + jobId + "." + format.fileExtension();
    }

    public static String objectKey(Job job) {
        return objectKey(job.storeId(), job.id(), job.options().exportFormat());
    }

    public static String contentDisposition(String jobId, ExportFormat format) {
        return "attachment; filename=\"orders-" + jobId + "." + format.fileExtension() + "\"";
    }
}
