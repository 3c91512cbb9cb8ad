/**
 * The API users import ({@code dev.durable}), the journal and weaving SPIs, and the engine, which only the runtimes
 * reach.
 */
@SuppressWarnings("module") // the runtime a qualified export names is built after this module
module dev.durable.core {
    requires transitive dev.durable.annotations;
    requires transitive com.fasterxml.jackson.databind;
    requires transitive org.slf4j;
    requires com.fasterxml.jackson.datatype.jdk8;
    requires com.fasterxml.jackson.datatype.jsr310;
    requires com.fasterxml.jackson.module.paramnames;

    exports dev.durable;
    exports dev.durable.spi.journal;
    exports dev.durable.spi.weaving;
    exports dev.durable.spi.plugin;
    exports dev.durable.internal to
            dev.durable.runtime.local,
            dev.durable.runtime.postgres;

    // Jackson writes and reads the engine's own records (journal events, batch results, error details) by reflection
    opens dev.durable to
            com.fasterxml.jackson.databind;
    opens dev.durable.spi.journal to
            com.fasterxml.jackson.databind;
    opens dev.durable.internal to
            com.fasterxml.jackson.databind;

    uses dev.durable.ExecutionScope;
    uses dev.durable.spi.weaving.ProxyRegistration;
    uses dev.durable.spi.plugin.DurablePlugin;

    provides dev.durable.ExecutionScope with
            dev.durable.internal.ThreadScope;
}
