/**
 * Elastic Path orders: the order model, the orders table keyed by store and creation time, and the created_at
 * key range a query is narrowed to.
 */
package com.orderexport.orders;
