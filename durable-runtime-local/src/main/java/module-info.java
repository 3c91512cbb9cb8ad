/** LocalRuntime: the embedded file journal, timers, callbacks, recovery and the admin endpoint. */
module dev.durable.runtime.local {
    requires transitive dev.durable.core;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;
    requires java.net.http;
    requires jdk.httpserver;

    exports dev.durable.runtime.local;
    exports dev.durable.runtime.local.admin;
    exports dev.durable.runtime.local.journal;
}
