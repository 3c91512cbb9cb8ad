package dev.durable;

import com.fasterxml.jackson.core.JsonProcessingException;

/** A value could not be written to, or read from, the journal's text form. */
public class SerializationException extends DurableException {
    private static final long serialVersionUID = 1L;

    public SerializationException(String message, Throwable cause) {
        super(message, cause);
    }

    static String originalMessage(Exception e) {
        return e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    }
}
