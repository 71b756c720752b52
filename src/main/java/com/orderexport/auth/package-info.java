/**
 * The built-in token issuer's HTTP adapters: Elastic Path's token endpoint ({@code POST /oauth/access_token} on
 * the Jobs API's host) and the issuer's OIDC discovery document and JWKS (a small HTTP API of its own, which the
 * Jobs API's JWT authorizer trusts). Checking credentials and signing tokens are calls on {@code credentials}
 * and {@code tokens}.
 */
package com.orderexport.auth;
