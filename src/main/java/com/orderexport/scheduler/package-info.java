/**
 * The scheduled adapter of {@link com.orderexport.schedules.ScheduleRunner}: the function EventBridge invokes once a
 * minute to make the schedules' due runs.
 */
package com.orderexport.scheduler;
