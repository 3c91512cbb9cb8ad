module example.greeter {
    requires dev.durable.runtime.local;

    // the engine calls the handler by reflection, and Jackson reads and writes the payloads
    opens example.greeter to dev.durable.core, com.fasterxml.jackson.databind;
}
