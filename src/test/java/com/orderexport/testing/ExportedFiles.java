package com.orderexport.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.orderexport.jobs.Job;
import com.orderexport.jobs.JobStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import software.amazon.awssdk.services.s3.S3Client;

/** Where tests get export files from: the export bucket, by the job's file key, or a presigned link. */
public final class ExportedFiles {

    private final JobStore jobs;
    private final S3Client s3;
    private final String bucket;

    public ExportedFiles(JobStore jobs, S3Client s3, String bucket) {
        this.jobs = jobs;
        this.s3 = s3;
        this.bucket = bucket;
    }

    /** The file of the job as the table has it now; fails the test when the job has none. */
    public ExportedFile of(Job job) {
        Job current = jobs.find(job.storeId(), job.id()).orElseThrow();
        assertThat(current.fileKey()).as("job %s has a file (status %s, error %s)", job.id(), current.status(),
                current.error()).isNotNull();
        return at(current.fileKey());
    }

    /** The object under this key of the export bucket. */
    public ExportedFile at(String key) {
        return ExportedFile.of(s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray());
    }

    /** A GET of the link as a client does it, with no credentials: status, headers and bytes. */
    public static HttpResponse<byte[]> download(String href) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(href)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted downloading " + href, e);
        }
    }
}
