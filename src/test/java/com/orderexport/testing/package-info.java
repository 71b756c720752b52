/**
 * The test kit: the emulator extension, order fixtures, job builders, HTTP event builders, response schemas and
 * AssertJ assertions shared by the tests.
 */
package com.orderexport.testing;
