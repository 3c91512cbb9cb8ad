package dev.durable.processor;

import dev.durable.processor.OperationManifest.Arm;
import dev.durable.processor.OperationManifest.Branch;
import dev.durable.processor.OperationManifest.End;
import dev.durable.processor.OperationManifest.Node;
import dev.durable.processor.OperationManifest.Opaque;
import dev.durable.processor.OperationManifest.Operation;
import dev.durable.processor.OperationManifest.Patch;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Parses the line format {@link OperationManifest#write()} writes; indentation is for readers only. */
final class ManifestReader {
    private final List<String> lines = new ArrayList<>();
    private final List<Integer> numbers = new ArrayList<>();
    private final String source;
    private int next;
    /** The index of the line read last, which errors name. */
    private int read = -1;

    ManifestReader(String text, String source) {
        this.source = source;
        String[] all = text.split("\r?\n", -1);
        for (int i = 0; i < all.length; i++) {
            String line = all[i].strip();
            if (!line.isEmpty() && !line.startsWith("#")) {
                lines.add(line);
                numbers.add(i + 1);
            }
        }
    }

    OperationManifest read() {
        int format = number(header("manifest"));
        if (format != OperationManifest.FORMAT) {
            throw failure("is in manifest format " + format + ", and this processor reads format "
                    + OperationManifest.FORMAT);
        }
        String function = unquote(header("function"));
        int version = number(header("version"));
        String className = header("class");
        Set<String> deprecated = new TreeSet<>();
        while (next < lines.size() && keyword(lines.get(next)).equals("deprecated")) {
            deprecated.add(unquote(rest(take())));
        }
        List<Node> nodes = nodes();
        if (next < lines.size()) {
            throw failureAhead("has '" + lines.get(next) + "' where no node can be");
        }
        return new OperationManifest(function, version, className, nodes, deprecated);
    }

    private String header(String keyword) {
        if (next >= lines.size() || !keyword(lines.get(next)).equals(keyword)) {
            throw failureAhead("lacks its '" + keyword + "' line");
        }
        return rest(take());
    }

    /** Nodes up to the next {@code arm} or {@code end}, or the end of the file. */
    private List<Node> nodes() {
        List<Node> nodes = new ArrayList<>();
        while (next < lines.size()) {
            String line = lines.get(next);
            String keyword = keyword(line);
            if (keyword.equals("arm") || keyword.equals("end")) {
                return nodes;
            }
            take();
            String rest = rest(line);
            switch (keyword) {
                case "op" -> nodes.add(operation(rest));
                case "if", "switch", "try" -> nodes.add(new Branch(keyword, unquote(rest), arms()));
                case "patch" -> {
                    List<Arm> arms = arms();
                    if (arms.size() != 2
                            || !arms.get(0).label().equals("patched")
                            || !arms.get(1).label().equals("unpatched")) {
                        throw failure("has a patch without its patched and unpatched arms");
                    }
                    nodes.add(new Patch(
                            unquote(rest), arms.get(0).nodes(), arms.get(1).nodes(), null));
                }
                case "opaque" -> {
                    int space = rest.indexOf(' ');
                    if (space < 0) {
                        throw failure("has an opaque node without its count and reason");
                    }
                    nodes.add(new Opaque(unquote(rest.substring(space + 1)), number(rest.substring(0, space)), null));
                }
                case "return", "throw" -> nodes.add(new End(keyword));
                default -> throw failure("has an unknown line '" + line + "'");
            }
        }
        return nodes;
    }

    private List<Arm> arms() {
        List<Arm> arms = new ArrayList<>();
        while (next < lines.size() && keyword(lines.get(next)).equals("arm")) {
            String label = unquote(rest(take()));
            arms.add(new Arm(label, nodes()));
        }
        if (next >= lines.size() || !keyword(lines.get(next)).equals("end")) {
            throw failureAhead("has a branch without its 'end'");
        }
        take();
        return arms;
    }

    /**
     * {@code STEP "name" result.Type [result-version 2] [migrates-from 1,3]}: the type is the rest of the line up to
     * the suffixes, and may hold spaces.
     */
    private Operation operation(String rest) {
        int space = rest.indexOf(' ');
        if (space < 0) {
            throw failure("has an operation without its name and result type");
        }
        String kind = rest.substring(0, space);
        String quoted = rest.substring(space + 1);
        int end = closingQuote(quoted);
        String type = quoted.substring(end + 1).strip();
        Set<Integer> migratesFrom = new TreeSet<>();
        int at = type.indexOf(" migrates-from ");
        if (at >= 0) {
            for (String from : type.substring(at + " migrates-from ".length()).split(",")) {
                migratesFrom.add(number(from.strip()));
            }
            type = type.substring(0, at);
        }
        int resultVersion = 1;
        at = type.indexOf(" result-version ");
        if (at >= 0) {
            resultVersion =
                    number(type.substring(at + " result-version ".length()).strip());
            type = type.substring(0, at);
        }
        return new Operation(kind, unquote(quoted.substring(0, end + 1)), type, resultVersion, migratesFrom, null);
    }

    private static String keyword(String line) {
        int space = line.indexOf(' ');
        return space < 0 ? line : line.substring(0, space);
    }

    private static String rest(String line) {
        int space = line.indexOf(' ');
        return space < 0 ? "" : line.substring(space + 1).strip();
    }

    private int closingQuote(String quoted) {
        if (!quoted.startsWith("\"")) {
            throw failure("has " + quoted + " where a quoted string should be");
        }
        for (int i = 1; i < quoted.length(); i++) {
            if (quoted.charAt(i) == '\\') {
                i++;
            } else if (quoted.charAt(i) == '"') {
                return i;
            }
        }
        throw failure("has an unterminated string " + quoted);
    }

    private String unquote(String quoted) {
        int end = closingQuote(quoted);
        if (end != quoted.length() - 1) {
            throw failure("has text after the string " + quoted);
        }
        StringBuilder s = new StringBuilder();
        for (int i = 1; i < end; i++) {
            char c = quoted.charAt(i);
            if (c == '\\') {
                char escaped = quoted.charAt(++i);
                s.append(
                        switch (escaped) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            default -> escaped;
                        });
            } else {
                s.append(c);
            }
        }
        return s.toString();
    }

    private int number(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw failure("has " + text + " where a number should be");
        }
    }

    private String take() {
        read = next;
        return lines.get(next++);
    }

    private IllegalArgumentException failure(String what) {
        return failureAt(read, what);
    }

    /** A failure about the line not read yet (or the end of the file). */
    private IllegalArgumentException failureAhead(String what) {
        return failureAt(next, what);
    }

    private IllegalArgumentException failureAt(int index, String what) {
        int at = Math.min(index, numbers.size() - 1);
        int line = at < 0 ? 1 : numbers.get(at);
        return new IllegalArgumentException(source + ":" + line + " " + what);
    }
}
