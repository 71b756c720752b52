package com.orderexport.testing;

import com.orderexport.stack.AwsEmulator;
import com.orderexport.stack.Template;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands integration tests a {@link TestStack}: one emulator for the whole test run, started on first use and
 * stopped (child process included) when the run ends, also when tests fail; and on it, tables and a bucket of
 * each test class's own, deleted when the class is done. Own tables keep every class's writes as fast as its first:
 * moto copies the whole table for each write of a transaction (to roll it back), so a jobs table shared by the
 * suite made a create slower with every job any earlier class had made, until creates overran the API's time
 * budget. Deleting them keeps the one moto process from growing with every class's data, which slowed every
 * request of the later classes (the suite took twice as long).
 */
public final class EmulatorExtension implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext.Store run = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL);
        Running running = run.getOrComputeIfAbsent(Running.class, key -> new Running(), Running.class);
        // Kept in the class's own store, so JUnit closes it (deleting its tables) when the class is done.
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent()) {
            classContext = classContext.getParent().orElseThrow();
        }
        return classContext.getStore(ExtensionContext.Namespace.GLOBAL).getOrComputeIfAbsent(TestStack.class,
                key -> new TestStack(running.emulator, running.template), TestStack.class);
    }

    /** Closed by JUnit when the root context ends (store values that are AutoCloseable are closed). */
    private static final class Running implements AutoCloseable {
        final AwsEmulator emulator = AwsEmulator.start();
        final Template template = Template.load();

        @Override
        public void close() {
            emulator.close();
        }
    }
}
