/**
 * The shapes an export's file can take, one class each (CSV, JSON Lines): what S3 and a browser are told about
 * the file, and the writer of its rows. The engine writes through {@link com.orderexport.formats.ExportFormat}
 * alone, so a new shape is one class here and one line in {@link com.orderexport.formats.ExportFormats}.
 */
package com.orderexport.formats;
