/**
 * The test kit: the emulator extension and the template's handlers, order fixtures, job builders, HTTP event
 * builders, export files read back, response schemas and AssertJ assertions shared by the tests. It knows the
 * shared stack infrastructure ({@code com.orderexport.stack}), never the local stack's application.
 */
package com.orderexport.testing;
