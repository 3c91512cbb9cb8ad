package dev.durable.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.CallbackFailedException;
import dev.durable.ErrorInfo;
import dev.durable.RetryPolicy;
import dev.durable.StepConfig;
import dev.durable.StepFailedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What a recorded error keeps of an exception and what a handler gets back from it after a replay. */
class ErrorDetailsTest {
    private final ClassLoader loader = getClass().getClassLoader();

    /** Public, with only a no-argument constructor. */
    public static class Silent extends RuntimeException {
        public Silent() {
            super();
        }
    }

    /** Public, with only a (String, IOException) constructor besides none. */
    public static class Wrapped extends RuntimeException {
        public Wrapped(String message, IOException cause) {
            super(message, cause);
        }
    }

    /** Public and abstract: it cannot be instantiated. */
    public abstract static class Abstract extends RuntimeException {
        public Abstract(String message) {
            super(message);
        }
    }

    /** Fixes its own cause in its constructor. */
    public static class OwnCause extends RuntimeException {
        public OwnCause(String message) {
            super(message, null);
        }
    }

    private static StackTraceElement[] frames(int n) {
        return IntStream.range(0, n)
                .mapToObj(i -> new StackTraceElement("a.B", "m" + i, "B.java", i + 1))
                .toArray(StackTraceElement[]::new);
    }

    @Test
    void atMostSixtyFourFramesAreKeptFromTheTopOfTheStack() {
        IllegalStateException e = new IllegalStateException("deep");
        e.setStackTrace(frames(65));
        ErrorInfo info = ErrorInfo.of(e);
        assertThat(info.stack()).hasSize(64).startsWith("a.B.m0(B.java:1)").endsWith("a.B.m63(B.java:64)");
        e.setStackTrace(frames(64));
        assertThat(ErrorInfo.of(e).stack()).hasSize(64);
    }

    @Test
    void fourCausesAreKeptAndDeeperOnesDropped() {
        Throwable t = new IllegalStateException("level 5");
        for (int i = 4; i >= 0; i--) {
            t = new IllegalStateException("level " + i, t);
        }
        ErrorInfo info = ErrorInfo.of(t);
        int depth = 0;
        for (ErrorInfo c = info; c != null; c = c.cause()) {
            assertThat(c.message()).isEqualTo("level " + depth);
            depth++;
        }
        assertThat(depth).isEqualTo(5);
    }

    @Test
    void aCallbackFailureKeepsTheTypeAndMessageSentFromOutside() {
        CallbackFailedException failed =
                new CallbackFailedException("callback 'c' failed: Rejected: no", ErrorInfo.of("Rejected", "no"), "{}");
        ErrorInfo info = ErrorInfo.of(failed);
        assertThat(info.type()).isEqualTo("Rejected");
        assertThat(info.message()).isEqualTo("no");
        assertThat(info.cause()).isNull();
        assertThat(info.stack()).isNotEmpty();
        ErrorInfo plain = ErrorInfo.of(new CallbackFailedException("plain", null));
        assertThat(plain.type()).isEqualTo(CallbackFailedException.class.getName());
        assertThat(plain.message()).isEqualTo("plain");
    }

    @Test
    void aSummaryIsTypeAndMessageOrTheTypeAlone() {
        assertThat(ErrorInfo.of("E", "m").summary()).isEqualTo("E: m");
        assertThat(ErrorInfo.of("E", null).summary()).isEqualTo("E");
        assertThat(ErrorInfo.of("E", "m").stack()).isEmpty();
    }

    @Test
    void aTypeWithOnlyANoArgumentConstructorIsRebuiltWhenThereWasNoMessage() {
        assertThat(ErrorInfo.of(new Silent()).rebuild(loader))
                .isExactlyInstanceOf(Silent.class)
                .hasMessage(null);
        Throwable withMessage =
                ErrorInfo.of(Silent.class.getName(), "said something").rebuild(loader);
        assertThat(withMessage)
                .isExactlyInstanceOf(StepFailedException.class)
                .hasMessage(Silent.class.getName() + ": said something");
        Throwable withCause = new ErrorInfo(
                        Silent.class.getName(), null, List.of(), ErrorInfo.of("java.io.IOException", "io"))
                .rebuild(loader);
        assertThat(withCause).isExactlyInstanceOf(Silent.class).hasCauseExactlyInstanceOf(IOException.class);
        assertThat(withCause.getCause()).hasMessage("io");
    }

    @Test
    void aConstructorTakingTheCausesOwnTypeIsUsed() {
        Throwable rebuilt =
                ErrorInfo.of(new Wrapped("outer", new IOException("inner"))).rebuild(loader);
        assertThat(rebuilt)
                .isExactlyInstanceOf(Wrapped.class)
                .hasMessage("outer")
                .hasCauseExactlyInstanceOf(IOException.class);
        Throwable wrongCause = new ErrorInfo(
                        Wrapped.class.getName(),
                        "outer",
                        List.of(),
                        ErrorInfo.of("java.lang.IllegalStateException", "not io"))
                .rebuild(loader);
        assertThat(wrongCause)
                .isExactlyInstanceOf(StepFailedException.class)
                .hasMessage(Wrapped.class.getName() + ": outer")
                .hasCauseExactlyInstanceOf(IllegalStateException.class);
        Throwable noCause = ErrorInfo.of(Wrapped.class.getName(), "outer").rebuild(loader);
        assertThat(noCause).isExactlyInstanceOf(StepFailedException.class);
        Throwable unchecked = ErrorInfo.of(new UncheckedIOException("u", new IOException("io")))
                .rebuild(loader);
        assertThat(unchecked)
                .isExactlyInstanceOf(UncheckedIOException.class)
                .hasCauseExactlyInstanceOf(IOException.class);
    }

    @Test
    void aCauseIsAttachedToATypeBuiltFromItsMessageAloneUnlessItFixesItsOwn() {
        Throwable rebuilt = new ErrorInfo(
                        "java.lang.NumberFormatException",
                        "nan",
                        List.of(),
                        ErrorInfo.of("java.lang.IllegalStateException", "why"))
                .rebuild(loader);
        assertThat(rebuilt)
                .isExactlyInstanceOf(NumberFormatException.class)
                .hasMessage("nan")
                .hasCauseExactlyInstanceOf(IllegalStateException.class);
        Throwable own = new ErrorInfo(
                        OwnCause.class.getName(), "mine", List.of(), ErrorInfo.of("java.io.IOException", "x"))
                .rebuild(loader);
        assertThat(own).isExactlyInstanceOf(OwnCause.class).hasMessage("mine").hasNoCause();
    }

    @Test
    void abstractTypesAndMissingTypesBecomeStepFailedException() {
        assertThat(ErrorInfo.of(Abstract.class.getName(), "a").rebuild(loader))
                .isExactlyInstanceOf(StepFailedException.class);
        Throwable noType = new ErrorInfo(null, "m", List.of(), null).rebuild(loader);
        assertThat(noType).isExactlyInstanceOf(StepFailedException.class);
    }

    @Test
    void framesAreRestoredFromTheirPrintedFormWhateverTheirShape() {
        ErrorInfo info = new ErrorInfo(
                "java.lang.IllegalStateException",
                "x",
                java.util.Arrays.asList(
                        "a.b.C.run(C.java:12)",
                        "java.base/java.lang.Thread.run(Thread.java:833)",
                        "app//a.b.D.go(D.java:7)",
                        "a.b.E.nat(Native Method)",
                        "a.b.F.unknown(Unknown Source)",
                        "a.b.G.noLine(G.java)",
                        "a.b.H.badLine(H.java:x)",
                        "a.b.I.colonFirst(:5)",
                        "noDot(J.java:1)",
                        "not a frame",
                        "a.b.K.open(K.java:1",
                        null),
                null);
        StackTraceElement[] st = info.rebuild(loader).getStackTrace();
        assertThat(st)
                .extracting(e ->
                        e.getClassName() + "#" + e.getMethodName() + "#" + e.getFileName() + "#" + e.getLineNumber())
                .containsExactly(
                        "a.b.C#run#C.java#12",
                        "java.lang.Thread#run#Thread.java#833",
                        "a.b.D#go#D.java#7",
                        "a.b.E#nat#null#-2",
                        "a.b.F#unknown#null#-1",
                        "a.b.G#noLine#G.java#-1",
                        "a.b.H#badLine#H.java:x#-1",
                        "a.b.I#colonFirst#:5#-1");
        assertThat(st[3].isNativeMethod()).isTrue();
    }

    @Test
    void theStackTextShowsEachFrameAndEachCause() {
        ErrorInfo info = new ErrorInfo(
                "E",
                "outer",
                List.of("a.B.c(B.java:1)", "a.B.d(B.java:2)"),
                new ErrorInfo("F", null, List.of("a.C.e(C.java:3)"), null));
        String n = System.lineSeparator();
        assertThat(info.stackText())
                .isEqualTo("E: outer" + n + "\tat a.B.c(B.java:1)" + n + "\tat a.B.d(B.java:2)" + n + "Caused by: F" + n
                        + "\tat a.C.e(C.java:3)" + n);
        assertThat(new ErrorInfo("E", null, null, null).stackText()).isEqualTo("E" + n);
    }

    @Test
    void aStepFailureIsRecordedAndReplayedWithItsCause() {
        try (EngineFixture f = new EngineFixture(e -> e.register("h", String.class, String.class, (in, ctx) -> {
            try {
                ctx.step(
                        "s",
                        String.class,
                        s -> {
                            throw new Wrapped("outer", new IOException("inner"));
                        },
                        StepConfig.builder().retry(RetryPolicy.noRetry()).build());
                return "no";
            } catch (Wrapped w) {
                ctx.wait("w", java.time.Duration.ofSeconds(1));
                return w.getMessage() + "/" + w.getCause().getMessage();
            }
        }))) {
            f.engine.start("h", "x", "in");
            f.restart().advance(java.time.Duration.ofSeconds(1));
            assertThat(f.engine.<String>execution("x").result(java.time.Duration.ofSeconds(5)))
                    .isEqualTo("outer/inner");
            ErrorInfo recorded = f.engine.describe("x").operations().get(0).error();
            assertThat(recorded.type()).isEqualTo(Wrapped.class.getName());
            assertThat(recorded.cause().summary()).isEqualTo("java.io.IOException: inner");
        }
    }
}
