package dev.durable.samples.readme;

import dev.durable.DurableRuntime;
import java.time.Instant;

class Stamps {
    static void register(DurableRuntime runtime) {
        runtime.register("stamps", String.class, String.class, (parcel, ctx) -> {
            Instant received = ctx.now(); // journaled; Instant.now() here gets a warning
            String label = ctx.step("label", String.class, s -> parcel + " printed " + Instant.now()); // runs once
            return label + ", received " + received;
        });
    }
}
