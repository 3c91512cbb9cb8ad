package dev.durable.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.ErrorInfo;
import dev.durable.StepFailedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ErrorInfoTest {
    static class NoStringConstructor extends RuntimeException {
        NoStringConstructor(int code) {
            super("code " + code);
        }
    }

    @Test
    void rebuildsTheOriginalTypeMessageCauseAndStack() {
        IOException original = new IOException("disk full", new IllegalStateException("inner"));
        Throwable rebuilt = ErrorInfo.of(original).rebuild(getClass().getClassLoader());
        assertThat(rebuilt)
                .isInstanceOf(IOException.class)
                .hasMessage("disk full")
                .hasCauseInstanceOf(IllegalStateException.class);
        assertThat(rebuilt.getStackTrace())
                .extracting(e -> e.getClassName() + "." + e.getMethodName() + ":" + e.getLineNumber())
                .containsExactly(java.util.Arrays.stream(original.getStackTrace())
                        .limit(64)
                        .map(e -> e.getClassName() + "." + e.getMethodName() + ":" + e.getLineNumber())
                        .toArray(String[]::new));
    }

    @Test
    void aTypeThatCannotBeRebuiltBecomesStepFailedExceptionWithTheInformation() {
        Throwable rebuilt =
                ErrorInfo.of(new NoStringConstructor(7)).rebuild(getClass().getClassLoader());
        assertThat(rebuilt).isInstanceOf(StepFailedException.class).hasMessageContaining("NoStringConstructor: code 7");
        assertThat(((StepFailedException) rebuilt).error().type()).isEqualTo(NoStringConstructor.class.getName());
    }

    @Test
    void aJournaledNameThatIsNotAThrowableIsNeverInstantiated() {
        Throwable rebuilt = ErrorInfo.of("java.lang.StringBuilder", "boom")
                .rebuild(getClass().getClassLoader());
        assertThat(rebuilt).isInstanceOf(StepFailedException.class).hasMessage("java.lang.StringBuilder: boom");
        Throwable unknown =
                ErrorInfo.of("com.example.Gone", "x").rebuild(getClass().getClassLoader());
        assertThat(unknown).isInstanceOf(StepFailedException.class);
    }

    private final ClassLoader loader = getClass().getClassLoader();

    private static String subject(String simpleName) {
        return RebuildSubjects.class.getName() + "$" + simpleName;
    }

    /** What a handler catching the rebuilt exception sees when the journaled type is refused. */
    private static void assertRefused(Throwable rebuilt, String type, String message) {
        assertThat(rebuilt).isExactlyInstanceOf(StepFailedException.class).hasMessage(type + ": " + message);
        assertThat(((StepFailedException) rebuilt).error().type()).isEqualTo(type);
        assertThat(((StepFailedException) rebuilt).error().message()).isEqualTo(message);
    }

    @Test
    void anApplicationExceptionNamedInTheJournalIsRebuiltSoTheHandlerCanCatchIt() {
        Throwable rebuilt =
                ErrorInfo.of(subject("OrderRejected"), "out of stock").rebuild(loader);

        assertThat(rebuilt).isInstanceOf(RebuildSubjects.OrderRejected.class).hasMessage("out of stock");
    }

    @Test
    void allowListedJdkExceptionsAreRebuilt() {
        assertThat(ErrorInfo.of("java.lang.IllegalArgumentException", "bad sku").rebuild(loader))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("bad sku");
        assertThat(ErrorInfo.of(new TimeoutException("no reply")).rebuild(loader))
                .isExactlyInstanceOf(TimeoutException.class)
                .hasMessage("no reply");
        assertThat(ErrorInfo.of(new UncheckedIOException("write failed", new IOException("disk full")))
                        .rebuild(loader))
                .isExactlyInstanceOf(UncheckedIOException.class)
                .hasMessage("write failed")
                .cause()
                .isExactlyInstanceOf(IOException.class)
                .hasMessage("disk full");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "java.lang.InternalError",
                "java.lang.OutOfMemoryError",
                "java.lang.ThreadDeath",
                "java.lang.ExceptionInInitializerError",
                "com.sun.jdi.VMDisconnectedException",
                "jdk.jshell.spi.ExecutionControl$InternalException"
            })
    void aPublicJdkThrowableOutsideTheAllowListIsNotRebuilt(String type) {
        assertRefused(ErrorInfo.of(type, "forged").rebuild(loader), type, "forged");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "sun.security.validator.ValidatorException",
                "sun.nio.fs.UnixException",
                "jdk.internal.misc.Unsafe",
                "sun.misc.Unsafe"
            })
    void aJdkInternalClassIsNotInstantiated(String type) {
        assertRefused(ErrorInfo.of(type, "forged").rebuild(loader), type, "forged");
    }

    @Test
    void aNonPublicApplicationThrowableIsRefusedWithoutRunningItsStaticInitialiser() {
        Throwable rebuilt = ErrorInfo.of(subject("Hidden"), "forged").rebuild(loader);

        assertRefused(rebuilt, subject("Hidden"), "forged");
        assertThat(RebuildSubjects.hiddenInitialised)
                .as("Hidden's static initialiser ran")
                .isFalse();
    }

    @Test
    void checkingARefusedTypeDoesNotRunItsStaticInitialiser() {
        assertRefused(ErrorInfo.of(subject("Unbuildable"), "code 7").rebuild(loader), subject("Unbuildable"), "code 7");
        assertRefused(ErrorInfo.of(subject("NotAFailure"), "forged").rebuild(loader), subject("NotAFailure"), "forged");

        assertThat(RebuildSubjects.unbuildableInitialised)
                .as("Unbuildable's static initialiser ran")
                .isFalse();
        assertThat(RebuildSubjects.notAFailureInitialised)
                .as("NotAFailure's static initialiser ran")
                .isFalse();
    }

    @Test
    void aClassTheFunctionsLoaderBorrowsFromOutsideItsAncestorsIsRefused() {
        ClassLoader app = loader;
        ClassLoader borrowing = new ClassLoader("borrowing", ClassLoader.getPlatformClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                return Class.forName(name, false, app);
            }
        };
        String type = subject("OrderRejected");

        assertRefused(ErrorInfo.of(type, "out of stock").rebuild(borrowing), type, "out of stock");
    }

    @Test
    void aForgedCauseChainIsRebuiltOnlyAsDeepAsOneThatWasRecorded() {
        ErrorInfo forged = null;
        for (int i = 0; i < 100_000; i++) {
            forged = new ErrorInfo("java.lang.IllegalStateException", "level " + i, List.of(), forged);
        }

        Throwable rebuilt = forged.rebuild(loader);

        int depth = 0;
        for (Throwable t = rebuilt; t != null; t = t.getCause()) {
            depth++;
        }
        assertThat(rebuilt).isExactlyInstanceOf(IllegalStateException.class).hasMessage("level 99999");
        assertThat(depth).isEqualTo(5);
    }

    @Test
    void aJournaledErrorWithoutAStackIsRebuilt() {
        Throwable rebuilt = new ErrorInfo("java.lang.IllegalStateException", "no stack", null, null).rebuild(loader);

        assertThat(rebuilt).isExactlyInstanceOf(IllegalStateException.class).hasMessage("no stack");
        assertThat(rebuilt.getStackTrace()).isEmpty();
    }

    @Test
    void aTypeBuiltOnlyWithItsCauseIsRebuiltWithThatCause() {
        Throwable rebuilt = ErrorInfo.of(new RebuildSubjects.OnlyWithCause("declined", new java.io.IOException("io")))
                .rebuild(loader);
        assertThat(rebuilt).isInstanceOf(RebuildSubjects.OnlyWithCause.class).hasMessage("declined");
        assertThat(rebuilt.getCause()).isInstanceOf(java.io.IOException.class).hasMessage("io");
        Throwable narrow = ErrorInfo.of(new RebuildSubjects.CausedByIo("declined", new java.io.IOException("io")))
                .rebuild(loader);
        assertThat(narrow).isInstanceOf(RebuildSubjects.CausedByIo.class);
        assertThat(narrow.getCause()).isInstanceOf(java.io.IOException.class);
    }
}
