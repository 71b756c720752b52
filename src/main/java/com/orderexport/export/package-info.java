/**
 * The export function's and the sweeper's Lambda adapters: stream records and scheduled events in, calls on the
 * engine ({@code exporter}) out, and the SnapStart priming of the export path.
 */
package com.orderexport.export;
