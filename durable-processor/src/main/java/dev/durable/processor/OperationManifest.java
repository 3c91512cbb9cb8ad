package dev.durable.processor;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the processor can see of one durable function's operations: the durable-method calls of its
 * {@code @Handler}, in order, with the branches, patches and early ends around them, and opaque markers where it
 * cannot see. Written into the jar as {@code META-INF/durable/manifests/<function>.v<version>.txt}, one line per
 * node, so a baseline checked into a repository diffs line by line:
 *
 * <pre>
 * manifest 1
 * function "orders"
 * version 1
 * class com.example.OrderProcessor
 * op STEP "reserve" com.example.Reservation
 * op STEP "quote" com.example.Quote result-version 2 migrates-from 1
 * if "order.express()"
 *   arm "then"
 *     op WAIT "coolingOff" java.lang.Void
 *   arm "else"
 * end
 * patch "gift-wrap"
 *   arm "patched"
 *     op STEP "wrap" java.lang.Void
 *   arm "unpatched"
 * end
 * try "catch"
 *   arm "completes"
 *     op CALLBACK "approve" com.example.Decision
 *   arm "throws"
 *     opaque 1 "catch or finally block"
 * end
 * opaque 2 "loop"
 * return
 * </pre>
 *
 * <p>A step at a result version above 1 names it, and the versions its {@code @StepMigration} methods convert from
 * (a type never holds a {@code -}, so the suffix cannot be taken for part of it). Result types are the declared
 * return types, boxed ({@code void} is {@code java.lang.Void}, a type variable its
 * erased bound); conditions are javac's rendering of the source, so reformatting does not change them.
 *
 * @param deprecatedPatches the patches the handler deprecates with {@code deprecatePatch("id")}
 */
record OperationManifest(
        String function, int version, String className, List<Node> operations, Set<String> deprecatedPatches) {
    static final int FORMAT = 1;
    static final String DIRECTORY = "META-INF/durable/manifests/";

    OperationManifest {
        operations = List.copyOf(operations);
        deprecatedPatches = Set.copyOf(new TreeSet<>(deprecatedPatches));
    }

    /** One element of the operation tree. {@code site} points at the source; a manifest read back has none. */
    sealed interface Node permits Operation, Branch, Patch, Opaque, End {}

    /**
     * A call of a durable method, as the runtime journals it.
     *
     * @param resultVersion a step's {@code @Step(resultVersion)}; 1 for everything else
     * @param migratesFrom the result versions the step's {@code @StepMigration} methods convert from
     */
    record Operation(
            String kind,
            String name,
            String resultType,
            int resultVersion,
            Set<Integer> migratesFrom,
            ValidationReport.Location site)
            implements Node {
        Operation {
            migratesFrom = Set.copyOf(migratesFrom);
        }

        /**
         * Whether a result this operation journaled replays as {@code now}: the same kind and name, and the same
         * result type at the same result version, or a migration from this one's version.
         */
        boolean replaysAs(Operation now) {
            if (!kind.equals(now.kind) || !name.equals(now.name)) {
                return false;
            }
            return now.resultVersion == resultVersion
                    ? resultType.equals(now.resultType)
                    : now.migratesFrom.contains(resultVersion);
        }

        @Override
        public String toString() {
            return kind + " '" + name + "'";
        }
    }

    /**
     * An {@code if} ({@code then}, {@code else}), a {@code switch} (one arm per case, and {@code default}) or a
     * {@code try} whose handlers make durable calls ({@code completes}, {@code throws}), with operations inside.
     */
    record Branch(String kind, String condition, List<Arm> arms) implements Node {
        Branch {
            arms = List.copyOf(arms);
        }
    }

    record Arm(String label, List<Node> nodes) {
        Arm {
            nodes = List.copyOf(nodes);
        }
    }

    /** {@code if (patched("id")) {patched} else {unpatched}}. */
    record Patch(String id, List<Node> patched, List<Node> unpatched, ValidationReport.Location site) implements Node {
        Patch {
            patched = List.copyOf(patched);
            unpatched = List.copyOf(unpatched);
        }
    }

    /**
     * Code the processor cannot follow: a loop, a lambda or a context-API call that may run durable operations,
     * and anything else whose order of operations it cannot know. {@code operations} counts the durable calls it
     * saw inside; nothing after an opaque node is compared.
     */
    record Opaque(String reason, int operations, ValidationReport.Location site) implements Node {}

    /** A {@code return} or {@code throw}: no operation follows on this path. */
    record End(String how) implements Node {}

    /** The resource name of the manifest of {@code function} at {@code version}, under {@link #DIRECTORY}. */
    static String fileName(String function, int version) {
        StringBuilder name = new StringBuilder();
        for (char c : function.toCharArray()) {
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
                name.append(c);
            } else {
                name.append('%').append(String.format(Locale.ROOT, "%04x", (int) c));
            }
        }
        return name + ".v" + version + ".txt";
    }

    String fileName() {
        return fileName(function, version);
    }

    /** The durable-method calls the processor understood. */
    int understood() {
        return count(operations, true);
    }

    /** The durable calls it saw inside opaque regions, left to the runtime check. */
    int leftToRuntime() {
        return count(operations, false);
    }

    private static int count(List<Node> nodes, boolean understood) {
        int n = 0;
        for (Node node : nodes) {
            if (node instanceof Operation) {
                n += understood ? 1 : 0;
            } else if (node instanceof Opaque o) {
                n += understood ? 0 : o.operations();
            } else if (node instanceof Branch b) {
                for (Arm arm : b.arms()) {
                    n += count(arm.nodes(), understood);
                }
            } else if (node instanceof Patch p) {
                n += count(p.patched(), understood) + count(p.unpatched(), understood);
            }
        }
        return n;
    }

    /** The manifest as its file holds it. */
    String write() {
        StringBuilder out = new StringBuilder();
        out.append("# Durable operation manifest, written by durable-processor. Keep the one of the last release as\n")
                .append("# the baseline of -Adurable.compat.baseline: see \"Changing code safely\" in the README.\n")
                .append("manifest ")
                .append(FORMAT)
                .append('\n')
                .append("function ")
                .append(quote(function))
                .append('\n')
                .append("version ")
                .append(version)
                .append('\n')
                .append("class ")
                .append(className)
                .append('\n');
        for (String patch : deprecatedPatches) {
            out.append("deprecated ").append(quote(patch)).append('\n');
        }
        write(operations, "", out);
        return out.toString();
    }

    private static void write(List<Node> nodes, String indent, StringBuilder out) {
        for (Node node : nodes) {
            out.append(indent);
            if (node instanceof Operation o) {
                out.append("op ").append(o.kind()).append(' ').append(quote(o.name()));
                out.append(' ').append(o.resultType());
                if (o.resultVersion() != 1) {
                    out.append(" result-version ").append(o.resultVersion());
                }
                if (!o.migratesFrom().isEmpty()) {
                    out.append(" migrates-from ");
                    out.append(String.join(
                            ",",
                            new TreeSet<>(o.migratesFrom())
                                    .stream().map(String::valueOf).toList()));
                }
                out.append('\n');
            } else if (node instanceof Branch b) {
                out.append(b.kind()).append(' ').append(quote(b.condition())).append('\n');
                for (Arm arm : b.arms()) {
                    out.append(indent)
                            .append("  arm ")
                            .append(quote(arm.label()))
                            .append('\n');
                    write(arm.nodes(), indent + "    ", out);
                }
                out.append(indent).append("end\n");
            } else if (node instanceof Patch p) {
                out.append("patch ").append(quote(p.id())).append('\n');
                out.append(indent).append("  arm \"patched\"\n");
                write(p.patched(), indent + "    ", out);
                out.append(indent).append("  arm \"unpatched\"\n");
                write(p.unpatched(), indent + "    ", out);
                out.append(indent).append("end\n");
            } else if (node instanceof Opaque o) {
                out.append("opaque ")
                        .append(o.operations())
                        .append(' ')
                        .append(quote(o.reason()))
                        .append('\n');
            } else {
                out.append(((End) node).how()).append('\n');
            }
        }
    }

    static String quote(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\r' -> q.append("\\r");
                case '\t' -> q.append("\\t");
                default -> q.append(c);
            }
        }
        return q.append('"').toString();
    }

    /** Reads a manifest {@link #write()} wrote; {@code source} names it in errors. */
    static OperationManifest read(String text, String source) {
        return new ManifestReader(text, source).read();
    }
}
