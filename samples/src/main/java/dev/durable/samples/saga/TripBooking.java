package dev.durable.samples.saga;

import dev.durable.annotations.DurableFunction;
import dev.durable.annotations.Handler;
import dev.durable.annotations.Retry;
import dev.durable.annotations.Step;

/**
 * A payment saga across three services: debit the wallet, reserve the hotel, book the flight. When a later step
 * fails for good, the earlier ones are compensated in reverse order, each compensation a checkpointed step too, so
 * a crash in the middle of compensating neither repeats nor forgets one.
 *
 * <p>Run with {@code -javaagent:durable-agent.jar} and a plain {@code new TripBooking(...)}: the agent makes even
 * these private and final methods durable, including calls through {@code this}.
 */
@DurableFunction(value = "trip-booking", proxy = false)
public class TripBooking {
    private final TravelServices services;

    public TripBooking(TravelServices services) {
        this.services = services;
    }

    @Handler
    public String book(Trip trip) {
        String payment = debit(trip);
        String hotel;
        try {
            hotel = reserveHotel(trip);
        } catch (RuntimeException e) {
            refund(payment);
            return "FAILED at hotel, refunded: " + e.getMessage();
        }
        try {
            String flight = bookFlight(trip);
            return "BOOKED " + payment + " " + hotel + " " + flight;
        } catch (RuntimeException e) {
            cancelHotel(hotel);
            refund(payment);
            return "FAILED at flight, compensated: " + e.getMessage();
        }
    }

    @Step
    private String debit(Trip trip) {
        return services.debit(trip.traveller(), trip.priceCents());
    }

    @Step
    private String reserveHotel(Trip trip) {
        return services.reserveHotel(trip.hotel());
    }

    @Step(retry = @Retry(maxAttempts = 3, initialDelay = "PT0.3S", backoff = 2.0))
    final String bookFlight(Trip trip) {
        return services.bookFlight(trip.flight());
    }

    @Step
    private void cancelHotel(String reservation) {
        services.cancelHotel(reservation);
    }

    @Step
    private void refund(String payment) {
        services.credit(payment);
    }
}
