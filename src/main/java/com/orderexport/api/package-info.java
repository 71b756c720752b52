/**
 * The HTTP API adapter: API Gateway payload 2.0 requests in, Elastic Path JSON:API answers and errors out.
 * Routing, request parsing and paging live here; every rule about jobs is a call on {@code jobs}.
 */
package com.orderexport.api;
