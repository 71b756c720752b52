/**
 * The benchmark ({@code mvn -q test-compile exec:java@bench}): side-by-side figures P1 and up, with in-process
 * DynamoDB and S3 stubs that add chosen latency. Test scope: never in the artifact.
 */
package com.orderexport.bench;
