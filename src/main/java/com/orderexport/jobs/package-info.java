/**
 * Export jobs: the job model, the jobs table, the job service the API calls (create, get, list, link),
 * idempotency records, each store's admission count of unfinished jobs, and the lease protocol by which an
 * export run holds a job.
 */
package com.orderexport.jobs;
