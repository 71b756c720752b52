/**
 * Orders kept in sync from Elastic Path's webhooks: a delivery's envelope read and checked, the per-store shared
 * secret (a Parameter Store SecureString) compared in constant time, and the order upserted only when it is newer
 * than the one stored, so at-least-once, out-of-order deliveries converge on the newest order.
 */
package com.orderexport.webhooks;
