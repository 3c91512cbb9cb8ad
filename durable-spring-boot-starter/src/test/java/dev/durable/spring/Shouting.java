package dev.durable.spring;

/** An interface for Spring's interface-based (JDK) proxies. */
public interface Shouting {
    String shout(String s);
}
