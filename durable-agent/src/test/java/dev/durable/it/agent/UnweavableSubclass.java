package dev.durable.it.agent;

/** Loading it loads {@link Unweavable}. */
public class UnweavableSubclass extends Unweavable {
    @Override
    String abstractStep() {
        return "implemented";
    }
}
