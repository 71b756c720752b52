package com.orderexport.bench;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignRequest;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignedRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.IdentityProviders;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/** SDK clients built as the functions build theirs (URL connection HTTP client), pointed at a stub or emulator. */
final class BenchClients {

    static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench"));

    private BenchClients() {}

    static DynamoDbClient dynamo(URI endpoint, ExecutionInterceptor... interceptors) {
        return DynamoDbClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS)
                .overrideConfiguration(c -> c.executionInterceptors(List.of(interceptors)))
                .build();
    }

    /**
     * An S3 client signing as it signs over HTTPS, where Lambda's requests to S3 go: the headers are signed but the
     * payload is not hashed ({@code UNSIGNED-PAYLOAD}). Over the stub's plain HTTP the SDK would hash every part
     * with SHA-256 first, a cost the functions never pay; TLS's own (AES-GCM, a fraction of a SHA-256) is left out.
     */
    static S3Client s3(URI endpoint) {
        return S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS)
                .putAuthScheme(signedAsOverHttps(AwsV4AuthScheme.create()))
                .build();
    }

    private static AwsV4AuthScheme signedAsOverHttps(AwsV4AuthScheme real) {
        AwsV4HttpSigner signer = real.signer();
        AwsV4HttpSigner overHttps = new AwsV4HttpSigner() {
            @Override
            public SignedRequest sign(SignRequest<? extends AwsCredentialsIdentity> request) {
                SignedRequest signed = signer.sign(request.copy(r -> r.request(request.request().toBuilder()
                        .protocol("https").build())));
                return signed.copy(r -> r.request(signed.request().toBuilder().protocol("http").build()));
            }

            @Override
            public CompletableFuture<AsyncSignedRequest> signAsync(AsyncSignRequest<? extends AwsCredentialsIdentity> request) {
                throw new UnsupportedOperationException("the bench's clients are synchronous");
            }
        };
        return new AwsV4AuthScheme() {
            @Override
            public String schemeId() {
                return real.schemeId();
            }

            @Override
            public IdentityProvider<AwsCredentialsIdentity> identityProvider(IdentityProviders providers) {
                return real.identityProvider(providers);
            }

            @Override
            public AwsV4HttpSigner signer() {
                return overHttps;
            }
        };
    }
}
