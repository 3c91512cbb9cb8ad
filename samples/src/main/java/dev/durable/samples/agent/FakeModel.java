package dev.durable.samples.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * A deterministic stand-in for a paid language model, with no network: it plans a trip in three turns. Each call is
 * billed to a ledger file, so the demo can show that a crash never makes the agent pay twice for the same turn.
 */
public final class FakeModel {
    private final Path ledger;

    public FakeModel(Path ledger) {
        this.ledger = ledger;
    }

    public ModelReply complete(List<Message> conversation) {
        long toolResults =
                conversation.stream().filter(m -> m.role().equals("tool")).count();
        boolean booked = conversation.stream()
                .anyMatch(m -> m.role().equals("tool") && m.content().startsWith("booked"));
        boolean refused = conversation.stream()
                .anyMatch(m -> m.role().equals("tool") && m.content().startsWith("not booked"));
        ModelReply reply;
        if (toolResults == 0) {
            reply = new ModelReply(
                    "Let me check the weather and the flights.",
                    List.of(new ToolCall("weather", "Lisbon"), new ToolCall("find_flights", "BER-LIS")),
                    3);
        } else if (!booked && !refused) {
            String flights = conversation.stream()
                    .filter(m -> m.content().startsWith("flights"))
                    .findFirst()
                    .map(Message::content)
                    .orElse("");
            String cheapest = flights.substring(flights.indexOf('[') + 1, flights.indexOf(' ', flights.indexOf('[')));
            reply = new ModelReply(
                    "Sunny in Lisbon; " + cheapest + " is the cheapest flight. Booking it.",
                    List.of(new ToolCall("book_flight", cheapest)),
                    4);
        } else {
            reply = new ModelReply(
                    booked
                            ? "Your trip to Lisbon is booked: " + last(conversation)
                            : "I did not book anything: " + last(conversation),
                    List.of(),
                    2);
        }
        bill("model call " + (toolResults == 0 ? 1 : booked || refused ? 3 : 2) + " (" + reply.costCents() + " cents)");
        return reply;
    }

    private static String last(List<Message> conversation) {
        return conversation.get(conversation.size() - 1).content();
    }

    void bill(String line) {
        System.out.println("  $ " + line);
        try {
            Files.writeString(
                    ledger,
                    line + System.lineSeparator(),
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND,
                    StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
