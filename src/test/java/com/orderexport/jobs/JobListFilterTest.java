package com.orderexport.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.orderexport.store.StoreId;
import com.orderexport.testing.JobBuilder;
import org.junit.jupiter.api.Test;

class JobListFilterTest {

    final Job pending = JobBuilder.pending(new StoreId("s"), "eq(status,paid)").build();
    final Job complete = JobBuilder.from(pending).status(JobStatus.COMPLETE).build();

    @Test
    void noFilter_listsEveryJob() throws JobProblem {
        assertThat(JobListFilter.parse(null)).accepts(pending, complete);
        assertThat(JobListFilter.parse(" ")).accepts(pending, complete);
    }

    @Test
    void eqAndIn_onStatusAndJobType_ignoringCase() throws JobProblem {
        assertThat(JobListFilter.parse("eq(status,COMPLETE)")).accepts(complete).rejects(pending);
        assertThat(JobListFilter.parse("in(status, pending ,failed)")).accepts(pending).rejects(complete);
        assertThat(JobListFilter.parse("eq(job_type,order_export)")).accepts(pending, complete);
        assertThat(JobListFilter.parse("eq(job_type,product_import)")).rejects(pending, complete);
    }

    @Test
    void everyTermMustHold_soContradictoryTermsSelectNothing() throws JobProblem {
        assertThat(JobListFilter.parse("eq(status,pending):eq(status,complete)")).rejects(pending, complete);
        assertThat(JobListFilter.parse("in(status,pending,complete):eq(status,complete)")).accepts(complete).rejects(pending);
    }

    @Test
    void anyOtherFilter_isAParseErrorSayingWhichTerm() {
        assertThatThrownBy(() -> JobListFilter.parse("eq(filter,x)")).hasMessageContaining("not 'filter' (term 1)");
        assertThatThrownBy(() -> JobListFilter.parse("gt(status,pending)")).hasMessageContaining("operator 'gt'");
        assertThatThrownBy(() -> JobListFilter.parse("in(status)")).hasMessageContaining("needs one or more values");
        assertThatThrownBy(() -> JobListFilter.parse("eq(status,pending")).hasMessageContaining("is not op(attribute,value)");
    }
}
