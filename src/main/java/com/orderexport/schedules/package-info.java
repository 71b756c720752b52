/**
 * Scheduled exports: when a schedule's runs are due ({@link com.orderexport.schedules.Cadence}), in a time zone,
 * through its summer-time changes.
 */
package com.orderexport.schedules;
