/**
 * Elastic Path's own API, as a client of it: a client-credentials token and the store's orders with their items,
 * read oldest first by keyset on created_at (Elastic Path refuses offsets past 10,000) for the backfill.
 */
package com.orderexport.elasticpath;
