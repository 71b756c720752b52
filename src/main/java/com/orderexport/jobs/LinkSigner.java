package com.orderexport.jobs;

import java.time.Duration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Signs short-lived GET links to export files. Signed on every read, because a Lambda role's credentials
 * expire within hours and a link signed with them dies with them.
 */
public final class LinkSigner {

    private final S3Presigner presigner;
    private final String bucket;

    public LinkSigner(S3Presigner presigner, String bucket) {
        this.presigner = presigner;
        this.bucket = bucket;
    }

    public String sign(String key, Duration ttl) {
        return presigner.presignGetObject(r -> r.signatureDuration(ttl)
                .getObjectRequest(get -> get.bucket(bucket).key(key))).url().toString();
    }
}
