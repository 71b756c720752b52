/**
 * The test kit: the emulator extension, order fixtures, job builders, HTTP event builders, response schemas,
 * AssertJ assertions shared by the tests, and the fault-injecting TCP proxy put between SDK clients and the emulator.
 */
package com.orderexport.testing;
