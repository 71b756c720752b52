/**
 * Elastic Path's filter language: parsed once into terms, then a predicate on orders and the created_at range
 * the orders table can narrow its query to. Knows nothing of AWS.
 */
package com.orderexport.filter;
