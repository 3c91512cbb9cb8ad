package dev.durable.samples.agent;

/** The agent's tools: two harmless look-ups and one irreversible booking. All local fakes. */
public final class Tools {
    private final FakeModel billing;

    public Tools(FakeModel billing) {
        this.billing = billing;
    }

    public String run(ToolCall call) {
        billing.bill("tool " + call.tool() + "(" + call.argument() + ")");
        return switch (call.tool()) {
            case "weather" -> "weather in " + call.argument() + ": 24C, sunny";
            case "find_flights" -> "flights " + call.argument() + ": [LH1170 129EUR, TP557 142EUR]";
            case "book_flight" -> "booked " + call.argument() + ", confirmation ZX81Q";
            default -> throw new IllegalArgumentException("unknown tool " + call.tool());
        };
    }
}
