/**
 * Tenancy: the store id that scopes every job, order and file, validated once where it enters.
 */
package com.orderexport.store;
