package dev.durable.samples.boot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Order processing as a Spring Boot application. {@code POST /orders} starts a durable execution; the order is
 * reserved and charged, cools off, then waits for a manager: {@code GET /approvals} lists the pending approval
 * requests and {@code POST /approvals/{callbackId}} (the webhook) completes one. Stop the application at any point
 * (Ctrl-C, or kill -9) and start it again: the order resumes where it was, and nothing is charged twice.
 *
 * <pre>
 * mvn -q -Pboot-demo -DskipTests -pl samples-spring-boot -am package     # journal in samples-spring-boot/target/.durable
 * curl -XPOST localhost:8080/orders -H 'Content-Type: application/json' \
 *      -d '{"id":"7","customer":"ada","items":["book"],"totalCents":990}'
 * curl localhost:8080/approvals                      # after the 10 s cooling-off: {"7":"&lt;callbackId&gt;"}
 * curl -XPOST localhost:8080/approvals/&lt;callbackId&gt; -H 'Content-Type: application/json' \
 *      -d '{"approved":true,"by":"Grace"}'
 * curl localhost:8080/orders/7                       # SUCCEEDED, with the receipt
 * curl localhost:8080/actuator/health                # "durable": executions by status, most overdue timer
 * </pre>
 */
@SpringBootApplication
public class OrderApplication {
    public static void main(String[] args) {
        SpringApplication.run(OrderApplication.class, args);
    }
}
