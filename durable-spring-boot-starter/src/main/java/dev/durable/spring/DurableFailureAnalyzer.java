package dev.durable.spring;

import org.springframework.aop.framework.AopConfigException;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * Explains start-up failures about durable beans: those the starter refused ({@link DurableBeanException}) and
 * Spring AOP failing to subclass a final generated {@code X_Durable} proxy (an advised {@code @DurableFunction} bean
 * without the agent).
 */
public class DurableFailureAnalyzer implements FailureAnalyzer {
    @Override
    public FailureAnalysis analyze(Throwable rootFailure) {
        for (Throwable cause = rootFailure; cause != null; cause = cause.getCause()) {
            FailureAnalysis a = analyze(rootFailure, cause);
            if (a != null) {
                return a;
            }
        }
        return null;
    }

    private static FailureAnalysis analyze(Throwable rootFailure, Throwable cause) {
        if (cause instanceof DurableBeanException e) {
            return new FailureAnalysis(e.description(), e.action(), e);
        }
        if (cause instanceof AopConfigException
                && cause.getMessage() != null
                && cause.getMessage().contains("_Durable")) {
            String bean = beanName(rootFailure);
            return new FailureAnalysis(
                    "Bean '" + bean + "' is a @DurableFunction made durable by its generated proxy,"
                            + " which is a final class, and Spring AOP (@Transactional, @Async, @Cacheable, an aspect...) tried"
                            + " to subclass it: " + cause.getMessage(),
                    "Move the advised methods to another bean that the steps call (a transaction per step), or "
                            + DurableBeans.AGENT_HINT + ": the starter then keeps the plain class, which Spring AOP"
                            + " can proxy and the agent makes durable.",
                    cause);
        }
        return null;
    }

    private static String beanName(Throwable t) {
        String name = "?";
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof BeanCreationException b && b.getBeanName() != null) {
                name = b.getBeanName(); // the innermost is the advised bean
            }
        }
        return name;
    }
}
