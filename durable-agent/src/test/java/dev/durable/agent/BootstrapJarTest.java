package dev.durable.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class BootstrapJarTest {
    @Test
    void everyClassOfTheBootstrapPackageGoesOnTheBootstrapClassPath() throws Exception {
        Path dispatcher = Path.of(BootstrapJarTest.class
                .getClassLoader()
                .getResource(BootstrapJar.resourceName("Dispatcher"))
                .toURI());
        try (Stream<Path> files = Files.list(dispatcher.getParent())) {
            assertThat(files.map(f -> f.getFileName().toString().replace(".class", ""))
                            .collect(Collectors.toList()))
                    .containsExactlyInAnyOrderElementsOf(BootstrapJar.CLASSES);
        }
    }

    @Test
    void theBootstrapClassesReferToNoClassOutsideTheirPackageAndTheJdk() throws IOException {
        Pattern reference = Pattern.compile("L?((?:[a-z][a-z0-9_]*/)+)[A-Za-z0-9_$]+;?");
        for (String name : BootstrapJar.CLASSES) {
            String constants;
            try (var in =
                    BootstrapJarTest.class.getClassLoader().getResourceAsStream(BootstrapJar.resourceName(name))) {
                constants = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            }
            Matcher m = reference.matcher(constants);
            while (m.find()) {
                assertThat(m.group(1)).as("a class %s refers to", name).matches("java/.*|dev/durable/agent/bootstrap/");
            }
        }
    }
}
