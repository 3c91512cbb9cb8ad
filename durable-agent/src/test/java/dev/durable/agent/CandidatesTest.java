package dev.durable.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.it.agent.Shipment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CandidatesTest {
    private static final ClassLoader APP = CandidatesTest.class.getClassLoader();

    @Test
    void aClassNamingDurableAnnotationsIsACandidate() throws IOException {
        assertThat(Candidates.mayDeclareDurableMethods(APP, internalName(Shipment.class), classFile(Shipment.class)))
                .isTrue();
    }

    @Test
    void aClassWithoutDurableAnnotationsIsSkippedBeforeParsing() throws IOException {
        assertThat(Candidates.mayDeclareDurableMethods(
                        APP, internalName(CandidatesTest.class), classFile(CandidatesTest.class)))
                .isFalse();
    }

    @Test
    void ignoredPackagesAndTheBootstrapLoaderAreNeverCandidates() throws IOException {
        byte[] annotated = classFile(Shipment.class);
        assertThat(Candidates.mayDeclareDurableMethods(APP, "dev/durable/Anything", annotated))
                .isFalse();
        assertThat(Candidates.mayDeclareDurableMethods(APP, "dev/durable/internal/Anything", annotated))
                .isFalse();
        assertThat(Candidates.mayDeclareDurableMethods(APP, "dev/durable/samples/Anything", annotated))
                .isTrue();
        assertThat(Candidates.ignored("dev.durable.Durable")).isTrue();
        assertThat(Candidates.ignored("dev.durable.samples.OrderProcessor")).isFalse();
        assertThat(Candidates.mayDeclareDurableMethods(APP, "java/util/Anything", annotated))
                .isFalse();
        assertThat(Candidates.mayDeclareDurableMethods(null, internalName(Shipment.class), annotated))
                .isFalse();
        assertThat(Candidates.mayDeclareDurableMethods(APP, null, annotated)).isFalse();
    }

    @Test
    void theApplicationsByteBuddyIsIgnoredUnderItsOwnName() {
        assertThat(Candidates.ignored("net.bytebuddy.ByteBuddy")).isTrue();
        assertThat(Candidates.ignored("dev.durable.agent.shaded.bytebuddy.ByteBuddy"))
                .isTrue();
        assertThat(Candidates.ignored("dev.durable.samples.orders.OrderWorkflow"))
                .isFalse();
        assertThat(Candidates.ignored("dev.durable.it.agent.Shipment")).isFalse();
    }

    @Test
    void containsFindsANeedleAnywhereIncludingTheEnds() {
        byte[] needle = "abc".getBytes(StandardCharsets.US_ASCII);
        assertThat(Candidates.contains("abc".getBytes(StandardCharsets.US_ASCII), needle))
                .isTrue();
        assertThat(Candidates.contains("xxabc".getBytes(StandardCharsets.US_ASCII), needle))
                .isTrue();
        assertThat(Candidates.contains("ababxabc".getBytes(StandardCharsets.US_ASCII), needle))
                .isTrue();
        assertThat(Candidates.contains("abxab".getBytes(StandardCharsets.US_ASCII), needle))
                .isFalse();
        assertThat(Candidates.contains("ab".getBytes(StandardCharsets.US_ASCII), needle))
                .isFalse();
    }

    private static String internalName(Class<?> type) {
        return type.getName().replace('.', '/');
    }

    private static byte[] classFile(Class<?> type) throws IOException {
        try (InputStream in = APP.getResourceAsStream(internalName(type) + ".class")) {
            return in.readAllBytes();
        }
    }
}
