/**
 * The local stack: the functions of template.yaml on an emulator, behind stand-ins for API Gateway (routes,
 * JWT check, Elastic Path's token endpoint), the stream's event source mapping (lanes, retries, the on-failure
 * queue) and EventBridge schedules. Test scope: never in the artifact.
 */
package com.orderexport.local;
