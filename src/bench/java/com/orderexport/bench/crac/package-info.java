/**
 * A checkpoint runtime for {@code org.crac}, as SnapStart's Lambda runtime provides one: the benchmark's child JVM
 * names this package in {@code -Dorg.crac.Core.Compat}, so the handlers' registrations arrive here and
 * {@code org.crac.Core.checkpointRestore()} runs their hooks, without a snapshot being taken.
 */
package com.orderexport.bench.crac;
