package dev.durable;

import org.slf4j.Logger;

/** What a step body sees: its attempt number and a logger. Durable operations cannot be nested inside a step. */
public interface StepContext {
    /** The attempt being run, starting at 1. */
    int attempt();

    /** The execution's name. */
    String executionName();

    /** The step's operation id, e.g. {@code 3} or {@code 2/1}. */
    String operationId();

    /** A logger with the execution and operation ids in the MDC. */
    Logger logger();
}
