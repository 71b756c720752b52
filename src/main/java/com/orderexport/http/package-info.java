/**
 * Helpers the HTTP API adapters share for reading API Gateway payload 2.0 events. Knows no job, store or order.
 */
package com.orderexport.http;
