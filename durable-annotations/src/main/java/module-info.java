/** The annotations users put on durable classes. */
module dev.durable.annotations {
    exports dev.durable.annotations;
}
