/**
 * The local stack: the functions of template.yaml on an emulator, behind stand-ins for API Gateway (routes,
 * JWT check, Elastic Path's token endpoint) and the stream's event source mapping. Test scope: never in the artifact.
 */
package com.orderexport.local;
