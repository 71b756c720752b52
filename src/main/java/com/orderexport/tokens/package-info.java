/**
 * The built-in token issuer: RS256 JWTs naming the caller's store, signed by a key that never leaves KMS, and
 * the issuer's public documents (OIDC discovery and the JWKS) that let API Gateway's JWT authorizer trust them.
 * The JWT and JWK encoding is the JDK's {@code java.security} and Base64url plus Jackson: the little of RFC 7515,
 * 7517 and 7519 that RS256 needs does not earn a library.
 */
package com.orderexport.tokens;
