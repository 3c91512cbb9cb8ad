package dev.durable.cli;

import dev.durable.CallbackAlreadyCompletedException;
import dev.durable.ExecutionConflictException;
import dev.durable.ExecutionDetails;
import dev.durable.UnknownCallbackException;
import dev.durable.UnknownExecutionException;
import dev.durable.runtime.local.admin.DurableClient;
import java.net.URI;
import java.util.List;
import java.util.function.Supplier;

/**
 * A running application reached through its admin endpoint ({@code runtime.serveAdmin()}): what the commands do
 * while the application holds the journal, with the client's refusals turned into exit codes.
 */
final class LiveApplication {
    private final DurableClient client;

    LiveApplication(URI base, String token) {
        this.client = DurableClient.connect(base, token);
    }

    URI uri() {
        return client.uri();
    }

    List<ExecutionDetails> executions() {
        return call(client::executions);
    }

    ExecutionDetails execution(String name) {
        return call(() -> client.execution(name));
    }

    void completeCallback(String id, String json) {
        call(() -> {
            client.completeCallbackJson(id, json);
            return null;
        });
    }

    void failCallback(String id, String errorType, String message, String errorData) {
        call(() -> {
            client.failCallback(id, errorType, message, errorData);
            return null;
        });
    }

    ExecutionDetails cancel(String name) {
        return call(() -> client.cancel(name));
    }

    ExecutionDetails retry(String name) {
        return call(() -> client.retry(name));
    }

    ExecutionDetails fail(String name, String reason) {
        return call(() -> client.fail(name, reason));
    }

    private <T> T call(Supplier<T> request) {
        try {
            return request.get();
        } catch (UnknownExecutionException
                | UnknownCallbackException
                | CallbackAlreadyCompletedException
                | ExecutionConflictException
                | IllegalArgumentException e) {
            throw CommandFailure.refused(e.getMessage());
        } catch (DurableClient.TokenRefusedException e) {
            throw new CommandFailure(
                    ExitCodes.LOCKED,
                    e.getMessage() + " (pass --token, or run as the application's"
                            + " user so that its endpoint file can be read)");
        } catch (DurableClient.UnreachableException e) {
            throw new CommandFailure(ExitCodes.LOCKED, e.getMessage());
        }
    }
}
