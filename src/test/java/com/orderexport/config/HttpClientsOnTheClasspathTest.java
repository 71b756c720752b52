package com.orderexport.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpService;
import software.amazon.awssdk.http.urlconnection.UrlConnectionSdkHttpService;

/**
 * The functions use the URL-connection HTTP client alone. The SDK modules bring others with them (Apache 4 and 5,
 * Netty) unless the pom excludes each: one that comes back (an SDK upgrade adding another default, say) would be
 * packed into every function, loaded by the SDK's service lookup and made the default over ours.
 */
class HttpClientsOnTheClasspathTest {

    @Test
    void theSdkFindsOneHttpClient_theUrlConnectionOne() {
        assertThat(ServiceLoader.load(SdkHttpService.class).stream().map(ServiceLoader.Provider::type))
                .containsExactly(UrlConnectionSdkHttpService.class);
    }
}
