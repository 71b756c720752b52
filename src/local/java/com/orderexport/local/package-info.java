/**
 * The local stack: the functions of template.yaml on an emulator, behind stand-ins for API Gateway (each HTTP API
 * of the template on a port of its own: routes, the JWT authorizer reading the built-in issuer's JWKS over HTTP),
 * the stream's event source mapping (lanes, retries, the on-failure queue) and EventBridge schedules; the demo
 * stores' clients and webhook secrets put in place with the admin command's code. Test scope: never in the artifact.
 */
package com.orderexport.local;
