package dev.durable.spring.app;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Scans this package: the durable function and the beans it uses. */
@SpringBootApplication
public class TestApp {}
