package com.orderexport.exporter;

import com.orderexport.store.StoreId;

/** Where an export's file lives in the bucket and what it is called when downloaded. */
public final class ExportFiles {

    public static final String PREFIX = "exports/";
    public static final String CONTENT_TYPE = "text/csv; charset=utf-8";

    private ExportFiles() {}

    public static String objectKey(StoreId store, String jobId) {
        return PREFIX + store.value() + "/" + jobId + ".csv";
    }

    public static String contentDisposition(String jobId) {
        return "attachment; filename=\"orders-" + jobId + ".csv\"";
    }
}
