package com.orderexport.local;

import java.util.OptionalInt;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * The token issuer's port, kept on the emulator under the stack's name: a token carries the issuer's URL in its
 * {@code iss}, so a restart under the same name must serve the issuer where it was for earlier tokens to verify.
 */
final class IssuerPort {

    private final SsmClient ssm;
    private final String parameter;

    private IssuerPort(SsmClient ssm, String stackName) {
        this.ssm = ssm;
        this.parameter = "/order-export-local/" + stackName + "/issuer-port";
    }

    static IssuerPort of(String stackName) {
        return new IssuerPort(SsmClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build(), stackName);
    }

    /** The port an earlier run under this name served the issuer on. */
    OptionalInt remembered() {
        try {
            return OptionalInt.of(Integer.parseInt(ssm.getParameter(r -> r.name(parameter)).parameter().value()));
        } catch (ParameterNotFoundException first) {
            return OptionalInt.empty();
        }
    }

    void remember(int port) {
        ssm.putParameter(r -> r.name(parameter).value(Integer.toString(port)).type(ParameterType.STRING).overwrite(true));
    }
}
