package com.orderexport.testing;

import com.orderexport.stack.AwsEmulator;
import com.orderexport.stack.Template;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands integration tests the one {@link TestStack} of this test run: started on first use, stopped
 * (emulator child process included) when the run ends, also when tests fail.
 */
public final class EmulatorExtension implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(Running.class, key -> new Running(), Running.class).stack;
    }

    /** Closed by JUnit when the root context ends (store values that are AutoCloseable are closed). */
    private static final class Running implements AutoCloseable {
        final AwsEmulator emulator = AwsEmulator.start();
        final TestStack stack = new TestStack(emulator, Template.load());

        @Override
        public void close() {
            emulator.close();
        }
    }
}
