package dev.durable.samples.boot;

import dev.durable.CallbackAlreadyCompletedException;
import dev.durable.CallbackTimeoutException;
import dev.durable.DurableRuntime;
import dev.durable.Execution;
import dev.durable.ExecutionConflictException;
import dev.durable.ExecutionStatus;
import dev.durable.SerializationException;
import dev.durable.UnknownCallbackException;
import dev.durable.UnknownExecutionException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Starts orders, shows them, and receives the approval webhook. */
@RestController
public class OrderController {
    private final DurableRuntime runtime;
    private final Shop shop;

    public OrderController(DurableRuntime runtime, Shop shop) {
        this.runtime = runtime;
        this.shop = shop;
    }

    /** Starts the order's execution; the same order posted again returns the same execution (idempotent). */
    @PostMapping("/orders")
    public ResponseEntity<Map<String, Object>> start(@RequestBody Order order) {
        Execution<Receipt> ex = runtime.start(OrderProcessor.class, "order-" + order.id(), order);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(view(ex));
    }

    @GetMapping("/orders/{id}")
    public Map<String, Object> order(@PathVariable String id) {
        return view(runtime.execution("order-" + id));
    }

    /** The manager's inbox: order id to the callback id to complete. */
    @GetMapping("/approvals")
    public Map<String, String> approvals() {
        return shop.approvalRequests();
    }

    /** The webhook: the body is the {@link Decision} as JSON, checked against the type the order waits for. */
    @PostMapping(path = "/approvals/{callbackId}", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Void> approve(@PathVariable String callbackId, @RequestBody String decisionJson) {
        runtime.completeCallbackJson(callbackId, decisionJson);
        return ResponseEntity.noContent().build();
    }

    private static Map<String, Object> view(Execution<Receipt> ex) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("execution", ex.name());
        v.put("status", ex.status());
        if (ex.status() == ExecutionStatus.SUCCEEDED) {
            v.put("receipt", ex.result(Duration.ZERO));
        }
        return v;
    }

    @ExceptionHandler({UnknownCallbackException.class, UnknownExecutionException.class})
    ResponseEntity<String> notFound(RuntimeException e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(e.getMessage());
    }

    @ExceptionHandler(CallbackTimeoutException.class)
    ResponseEntity<String> gone(RuntimeException e) {
        return ResponseEntity.status(HttpStatus.GONE).body(e.getMessage());
    }

    @ExceptionHandler({CallbackAlreadyCompletedException.class, ExecutionConflictException.class})
    ResponseEntity<String> conflict(RuntimeException e) {
        return ResponseEntity.status(HttpStatus.CONFLICT).body(e.getMessage());
    }

    @ExceptionHandler({SerializationException.class, IllegalArgumentException.class})
    ResponseEntity<String> badRequest(RuntimeException e) {
        return ResponseEntity.badRequest().body(e.getMessage());
    }
}
