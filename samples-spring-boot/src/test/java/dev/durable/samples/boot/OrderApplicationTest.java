package dev.durable.samples.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.DurableRuntime;
import dev.durable.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The application end to end over HTTP, on the file journal and a virtual clock. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OrderApplicationTest {
    @TestConfiguration
    static class VirtualTime {
        @Bean
        ManualClock clock() {
            return new ManualClock();
        }
    }

    @DynamicPropertySource
    static void journal(DynamicPropertyRegistry registry) throws Exception {
        Path dir = Files.createTempDirectory("orders-journal");
        registry.add("durable.directory", dir::toString);
        registry.add("durable.admin.enabled", () -> "true");
        registry.add("durable.admin.mount", () -> "spring");
        registry.add("durable.admin.token", () -> ADMIN_TOKEN);
    }

    static final String ADMIN_TOKEN = "t".repeat(40);

    @Autowired
    TestRestTemplate http;

    @Autowired
    DurableRuntime runtime;

    @Autowired
    ManualClock clock;

    @Autowired
    Shop shop;

    @Test
    @SuppressWarnings({"rawtypes", "unchecked"})
    void anOrderIsApprovedThroughTheWebhookAndShipsWithEveryServiceCalledOnce() {
        Order order = new Order("42", "ada", List.of("book"), 12_900);
        ResponseEntity<Map> started = http.postForEntity("/orders", order, Map.class);
        assertThat(started.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
        assertThat(started.getBody()).containsEntry("execution", "order-42");
        assertThat(http.postForEntity("/orders", order, Map.class).getStatusCode())
                .isEqualTo(HttpStatus.ACCEPTED); // idempotent: the same execution

        assertThat(runtime.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(http.getForObject("/orders/42", Map.class)).containsEntry("status", "WAITING"); // cooling off
        clock.advance(Duration.ofSeconds(10));
        assertThat(runtime.awaitIdle(Duration.ofSeconds(10))).isTrue();

        String callbackId = (String) http.getForObject("/approvals", Map.class).get("42");
        assertThat(callbackId).matches("[0-9a-f]{32}");
        assertThat(post("/approvals/" + callbackId, "{\"approved\": true, \"by\": \"Grace\"}")
                        .getStatusCode())
                .isEqualTo(HttpStatus.NO_CONTENT);
        assertThat(runtime.execution("order-42").result(Duration.ofSeconds(10))).isNotNull();

        Map body = http.getForObject("/orders/42", Map.class);
        assertThat(body).containsEntry("status", "SUCCEEDED");
        assertThat((Map<String, Object>) body.get("receipt"))
                .containsEntry("status", "SHIPPED")
                .containsEntry("detail", "SHIP-RES-42, approved by Grace");
        assertThat(shop.calls())
                .containsExactly(
                        "reserve [book]",
                        "charge 12900 cents",
                        "ask approval of order 42: POST /approvals/" + callbackId,
                        "ship RES-42");

        // the webhook refuses what it cannot take, and changes nothing
        assertThat(post("/approvals/" + callbackId, "{\"approved\": false, \"by\": \"Bob\"}")
                        .getStatusCode())
                .isEqualTo(HttpStatus.CONFLICT);
        assertThat(post("/approvals/" + "0".repeat(32), "{\"approved\": true, \"by\": \"Eve\"}")
                        .getStatusCode())
                .isEqualTo(HttpStatus.NOT_FOUND);

        Map health = http.getForObject("/actuator/health", Map.class);
        assertThat(health).containsEntry("status", "UP");
        assertThat((Map<String, Object>) ((Map<?, ?>) health.get("components")).get("durable"))
                .containsEntry("status", "UP");
    }

    @Test
    void aDecisionOfTheWrongShapeIsRefusedWith400() {
        Order order = new Order("43", "bob", List.of("pen"), 250);
        http.postForEntity("/orders", order, Map.class);
        assertThat(runtime.awaitIdle(Duration.ofSeconds(10))).isTrue();
        clock.advance(Duration.ofSeconds(10));
        assertThat(runtime.awaitIdle(Duration.ofSeconds(10))).isTrue();
        String callbackId = shop.approvalRequests().get("43");
        assertThat(post("/approvals/" + callbackId, "{\"aproved\": true}").getStatusCode())
                .isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(post("/approvals/" + callbackId, "{\"approved\": false, \"by\": \"Grace\"}")
                        .getStatusCode())
                .isEqualTo(HttpStatus.NO_CONTENT);
        assertThat(runtime.<Receipt>execution("order-43")
                        .result(Duration.ofSeconds(10))
                        .status())
                .isEqualTo("REFUNDED");
    }

    private ResponseEntity<String> post(String path, String json) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        return http.postForEntity(path, new HttpEntity<>(json, headers), String.class);
    }

    @Test
    void theAdminApiAndConsoleAreServedUnderTheApplicationsPortWithTheToken() {
        HttpHeaders auth = new HttpHeaders();
        auth.setBearerAuth(ADMIN_TOKEN);
        ResponseEntity<String> listed = http.exchange(
                "/durable/api/executions",
                org.springframework.http.HttpMethod.GET,
                new HttpEntity<>(auth),
                String.class);
        ResponseEntity<String> refused = http.getForEntity("/durable/api/executions", String.class);
        ResponseEntity<String> page = http.getForEntity("/durable/", String.class);
        ResponseEntity<String> unknown = http.exchange(
                "/durable/api/executions/nope",
                org.springframework.http.HttpMethod.GET,
                new HttpEntity<>(auth),
                String.class);

        assertThat(listed.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(listed.getBody()).startsWith("[");
        assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(page.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(page.getBody()).contains("Durable console");
        assertThat(page.getHeaders().getFirst("Content-Security-Policy")).contains("script-src 'self'");
        assertThat(unknown.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
    }
}
