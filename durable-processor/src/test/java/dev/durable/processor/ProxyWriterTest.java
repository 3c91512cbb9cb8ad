package dev.durable.processor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProxyWriterTest {
    @ParameterizedTest
    @CsvSource({
        "askManager, ASK_MANAGER",
        "x,          X",
        "fetchURL,   FETCH_URL",
        "URLFetch,   URL_FETCH",
        "step2Go,    STEP2_GO",
        "aB,         A_B",
    })
    void descriptorConstantsSplitWordsAcronymsAndDigits(String method, String constant) {
        assertThat(ProxyWriter.constantName(method)).isEqualTo(constant);
    }
}
