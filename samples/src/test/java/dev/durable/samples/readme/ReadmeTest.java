package dev.durable.samples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps README.md honest: every Java block is code that the build compiles and a test runs (it must appear in this
 * package's sources), every XML block is configuration a pom of this project really uses, and every Maven command
 * names profiles and modules that exist.
 */
class ReadmeTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern BLOCK = Pattern.compile("(?m)^```(\\w*)\\n(.*?)^```", Pattern.DOTALL);

    record Block(String language, String text) {}

    static List<Block> blocks() throws IOException {
        Matcher m = BLOCK.matcher(Files.readString(ROOT.resolve("README.md")));
        List<Block> blocks = new ArrayList<>();
        while (m.find()) {
            blocks.add(new Block(m.group(1), m.group(2)));
        }
        return blocks;
    }

    /** Whitespace-insensitive, so a snippet may be indented and wrapped differently in the README and the source. */
    static String normalize(String s) {
        return s.replaceAll("\\s+", "");
    }

    /**
     * A block starts with the imports it needs, then the code; the code must be in one of this package's sources, and
     * that source must import what the block imports, so the imports shown are the ones the code compiles with.
     */
    @Test
    void everyJavaBlockIsCompiledAndRunByThisPackageWithTheImportsItShows() throws IOException {
        List<String> sources = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/test/java/dev/durable/samples/readme"))) {
            for (Path p :
                    files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                sources.add(normalize(Files.readString(p)));
            }
        }
        List<Block> java =
                blocks().stream().filter(b -> b.language().equals("java")).toList();
        assertThat(java).isNotEmpty();
        for (Block b : java) {
            List<String> imports = new ArrayList<>();
            StringBuilder code = new StringBuilder();
            for (String line : b.text().split("\n")) {
                if (code.length() == 0 && (line.startsWith("import ") || line.isBlank())) {
                    if (!line.isBlank()) {
                        imports.add(normalize(line));
                    }
                } else {
                    code.append(line).append('\n');
                }
            }
            assertThat(imports)
                    .as("README Java block shows no imports:%n%s", b.text())
                    .isNotEmpty();
            String body = normalize(code.toString());
            List<String> holders =
                    sources.stream().filter(s -> s.contains(body)).toList();
            assertThat(holders)
                    .as(
                            "README Java block not found in samples/src/test/java/dev/durable/samples/readme:%n%s",
                            b.text())
                    .isNotEmpty();
            assertThat(holders)
                    .as("README Java block imports what its source does not:%n%s", b.text())
                    .anyMatch(s -> imports.stream().allMatch(s::contains));
        }
    }

    @Test
    void everyXmlBlockIsConfigurationThisBuildUses() throws IOException {
        StringBuilder poms = new StringBuilder();
        // the modules' poms, and the user's project that bom-check builds against the BOM alone
        try (Stream<Path> files =
                Stream.concat(Files.walk(ROOT, 2), Stream.of(ROOT.resolve("bom-check/src/it/bom-sample/pom.xml")))) {
            for (Path p : files.filter(p -> p.getFileName().toString().equals("pom.xml"))
                    .toList()) {
                poms.append(normalize(Files.readString(p))).append('\n');
            }
        }
        for (Block b : blocks().stream().filter(b -> b.language().equals("xml")).toList()) {
            assertThat(poms.toString().contains(normalize(b.text())))
                    .as("README XML block not used by any pom.xml:%n%s", b.text())
                    .isTrue();
        }
    }

    @Test
    void everyMavenCommandNamesExistingProfilesAndModules() throws IOException {
        String rootPom = Files.readString(ROOT.resolve("pom.xml"));
        // profiles live in the samples' poms and, for the build's own (mutation), in the root pom
        String samplesPom = Files.readString(ROOT.resolve("samples/pom.xml"))
                + Files.readString(ROOT.resolve("samples-spring-boot/pom.xml"))
                + rootPom;
        Pattern profile = Pattern.compile("-P([\\w-]+)");
        Pattern modules = Pattern.compile("-pl ([\\w,-]+)");
        int commands = 0;
        for (Block b : blocks()) {
            for (String line : b.text().split("\n")) {
                if (!line.startsWith("mvn ")) {
                    continue;
                }
                commands++;
                Matcher p = profile.matcher(line);
                while (p.find()) {
                    assertThat(samplesPom).as("profile of: %s", line).contains("<id>" + p.group(1) + "</id>");
                }
                Matcher m = modules.matcher(line);
                while (m.find()) {
                    for (String module : m.group(1).split(",")) {
                        assertThat(rootPom).as("module of: %s", line).contains("<module>" + module + "</module>");
                    }
                }
            }
        }
        assertThat(commands).isGreaterThanOrEqualTo(2);
    }

    @Test
    void everyTestTheGuaranteesNameExists() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        Matcher m = Pattern.compile("`(\\w+Test|\\w+IT|\\w+Properties)#(\\w+)`").matcher(readme);
        int found = 0;
        while (m.find()) {
            String file = m.group(1) + ".java";
            String method = "void " + m.group(2) + "(";
            try (Stream<Path> files = Files.walk(ROOT)) {
                boolean exists = files.filter(p -> p.getFileName().toString().equals(file)
                                && !p.toString().contains("/target/"))
                        .anyMatch(p -> {
                            try {
                                return Files.readString(p).contains(method);
                            } catch (IOException e) {
                                return false;
                            }
                        });
                assertThat(exists)
                        .as("the README names %s#%s, which no test source holds", m.group(1), m.group(2))
                        .isTrue();
            }
            found++;
        }
        assertThat(found).isGreaterThanOrEqualTo(10);
    }
}
