package dev.durable.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

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
        assertThat(rebuilt).isInstanceOf(IOException.class).hasMessage("disk full")
                .hasCauseInstanceOf(IllegalStateException.class);
        assertThat(rebuilt.getStackTrace()).extracting(e -> e.getClassName() + "." + e.getMethodName() + ":" + e.getLineNumber())
                .containsExactly(java.util.Arrays.stream(original.getStackTrace()).limit(64)
                        .map(e -> e.getClassName() + "." + e.getMethodName() + ":" + e.getLineNumber()).toArray(String[]::new));
    }

    @Test
    void aTypeThatCannotBeRebuiltBecomesStepFailedExceptionWithTheInformation() {
        Throwable rebuilt = ErrorInfo.of(new NoStringConstructor(7)).rebuild(getClass().getClassLoader());
        assertThat(rebuilt).isInstanceOf(StepFailedException.class).hasMessageContaining("NoStringConstructor: code 7");
        assertThat(((StepFailedException) rebuilt).error().type()).isEqualTo(NoStringConstructor.class.getName());
    }

    @Test
    void aJournaledNameThatIsNotAThrowableIsNeverInstantiated() {
        Throwable rebuilt = ErrorInfo.of("java.lang.StringBuilder", "boom").rebuild(getClass().getClassLoader());
        assertThat(rebuilt).isInstanceOf(StepFailedException.class).hasMessage("java.lang.StringBuilder: boom");
        Throwable unknown = ErrorInfo.of("com.example.Gone", "x").rebuild(getClass().getClassLoader());
        assertThat(unknown).isInstanceOf(StepFailedException.class);
    }
}
