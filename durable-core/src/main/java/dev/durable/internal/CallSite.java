package dev.durable.internal;

import dev.durable.spi.weaving.DurableMethods;
import java.util.List;

/** The user code that made the current operation: the first frame outside the engine and generated proxies. */
final class CallSite {
    /** The classes between user code and the stack walk, with their nested classes and lambdas. */
    private static final List<String> ENGINE_CLASSES = List.of(
                    CallSite.class,
                    ReplayCursor.class,
                    Op.class,
                    ContextImpl.class,
                    DurableMethods.class,
                    CallbackHandle.class,
                    Batch.class,
                    DurableEngine.class,
                    StepOp.class,
                    JournaledStepResult.class,
                    WaitOp.class,
                    CallbackOp.class,
                    ConditionOp.class,
                    ChildContextOp.class,
                    BatchOp.class,
                    InvokeOp.class,
                    NowOp.class,
                    PatchOp.class,
                    MethodCallOp.class)
            .stream()
            .map(Class::getName)
            .toList();

    private CallSite() {}

    /** {@code Class.method(File.java:line)} of the caller, or {@code null} if none is outside the engine. */
    static String find() {
        return StackWalker.getInstance()
                .walk(frames -> frames.dropWhile(f -> isEngineFrame(f.getClassName()))
                        .filter(f -> !f.getClassName().startsWith("java.")
                                && !f.getClassName().startsWith("jdk.")
                                && !f.getClassName().startsWith("dev.durable.agent.")
                                && !f.getClassName().endsWith("_Durable")
                                && !isEngineFrame(f.getClassName()))
                        .findFirst()
                        .map(f -> f.getClassName() + "." + f.getMethodName() + "(" + f.getFileName() + ":"
                                + f.getLineNumber() + ")")
                        .orElse(null));
    }

    private static boolean isEngineFrame(String className) {
        for (String engine : ENGINE_CLASSES) {
            if (className.equals(engine) || className.startsWith(engine + "$")) {
                return true;
            }
        }
        return false;
    }
}
