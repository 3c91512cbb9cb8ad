package dev.durable.core;

/** Kinds of journaled operation; the determinism check compares them. */
enum OpType { STEP, WAIT, CALLBACK, CONTEXT, PARALLEL, MAP, BRANCH, INVOKE, WAIT_FOR_CONDITION, NOW, PATCH }
