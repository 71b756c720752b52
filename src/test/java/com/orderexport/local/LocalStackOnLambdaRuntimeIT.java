package com.orderexport.local;

import org.junit.jupiter.api.BeforeAll;

/**
 * The local stack's end-to-end tests again, with every function on Lambda's own runtime client
 * ({@code --runtime lambda}): the stand-ins hand Lambda's JSON to execution environments of their own, each a JVM
 * on the artifact's layout, instead of calling handler objects in the stack's JVM.
 */
class LocalStackOnLambdaRuntimeIT extends LocalStackE2EIT {

    /** Hides the in-JVM start of {@link LocalStackE2EIT}: JUnit runs this one instead. */
    @BeforeAll
    static void startTheLocalStack() throws Exception {
        start("--runtime", "lambda");
    }
}
