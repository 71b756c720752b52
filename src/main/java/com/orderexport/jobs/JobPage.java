package com.orderexport.jobs;

import java.util.List;

/** One page of a store's live jobs, newest first, with the total the page was cut from. */
public record JobPage(List<Job> jobs, int limit, int offset, int total) {}
