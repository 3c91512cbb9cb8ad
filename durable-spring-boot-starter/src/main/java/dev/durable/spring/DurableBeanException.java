package dev.durable.spring;

import org.springframework.beans.FatalBeanException;

/**
 * A {@code @DurableFunction} bean that the starter cannot make durable; start-up fails with it.
 * {@link #description()} says what and which bean, {@link #action()} what to do.
 */
public class DurableBeanException extends FatalBeanException {
    private static final long serialVersionUID = 1L;

    private final String beanName;
    private final String description;
    private final String action;

    public DurableBeanException(String beanName, String description, String action) {
        super(description + " " + action);
        this.beanName = beanName;
        this.description = description;
        this.action = action;
    }

    public String beanName() {
        return beanName;
    }

    public String description() {
        return description;
    }

    public String action() {
        return action;
    }
}
