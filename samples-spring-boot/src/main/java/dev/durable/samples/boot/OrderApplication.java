package dev.durable.samples.boot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Order processing as a Spring Boot application. {@code POST /orders} starts a durable execution; the order is
 * reserved and charged, cools off, then waits for a manager: {@code GET /approvals} lists the pending approval
 * requests and {@code POST /approvals/{callbackId}} (the webhook) completes one. Stop the application at any point
 * (Ctrl-C, or kill -9) and start it again: the order resumes where it was, and nothing is charged twice.
 */
@SpringBootApplication
public class OrderApplication {
    public static void main(String[] args) {
        SpringApplication.run(OrderApplication.class, args);
    }
}
