package dev.durable.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives each test a fresh {@link DurableTestRuntime} on a virtual clock, as a parameter of the test method (or of
 * its {@code @BeforeEach} and {@code @AfterEach} methods, which get the same one); it is closed after the test.
 * On a method, it configures that test only.
 *
 * <pre>{@code
 * @DurableTest
 * class ReminderTest {
 *     @Test
 *     void remindsAfterADay(DurableTestRuntime rt) {
 *         rt.register("remind", String.class, String.class, (who, ctx) -> {
 *             ctx.wait("a day", Duration.ofDays(1));
 *             return ctx.step("send", String.class, s -> "reminded " + who);
 *         });
 *         assertThat(rt.run(rt.start("remind", "r-1", "ann")).result()).isEqualTo("reminded ann");
 *         assertThat(rt.now()).isEqualTo(DurableTestRuntime.DEFAULT_START.plus(Duration.ofDays(1)));
 *     }
 * }
 * }</pre>
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(DurableTestExtension.class)
public @interface DurableTest {
    /** Where the virtual clock starts, as an ISO-8601 instant. */
    String start() default "2025-01-01T00:00:00Z";

    /** Where the runtime journals: in memory (default), or to files in a temporary directory deleted afterwards. */
    JournalKind journal() default JournalKind.MEMORY;

    /** Where a {@link DurableTest} runtime keeps its journal. */
    enum JournalKind {
        /** A {@link dev.durable.spi.journal.MemoryJournal}: fastest; {@code restart()} keeps it. */
        MEMORY,
        /** The real file journal in a temporary directory, so {@code restart()} reopens the files. */
        FILE
    }
}
