package dev.durable.it.agent;

/** The superclass the orphan scenario leaves out of the class path. */
public class OrphanParent {}
