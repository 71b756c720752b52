/**
 * The webhook adapter: Elastic Path's deliveries to {@code POST /integrations/elastic-path/orders/{store_id}}
 * become calls on {@code webhooks.OrderSync}, and its outcome or refusal an HTTP answer inside Elastic Path's
 * ten seconds.
 */
package com.orderexport.sync;
