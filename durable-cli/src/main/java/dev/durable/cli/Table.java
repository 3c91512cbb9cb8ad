package dev.durable.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Left-aligned columns, two spaces apart; rows may carry indented lines printed under them. */
final class Table {
    private final List<String[]> rows = new ArrayList<>();
    private final List<List<String>> notes = new ArrayList<>();

    Table(String... header) {
        row(header);
    }

    Table row(String... cells) {
        rows.add(cells);
        notes.add(new ArrayList<>());
        return this;
    }

    /** A line printed under the last row, indented by {@code indent} spaces. */
    Table note(int indent, String line) {
        notes.get(notes.size() - 1).add(" ".repeat(indent) + line);
        return this;
    }

    void print(PrintWriter out) {
        int columns = rows.stream().mapToInt(r -> r.length).max().orElse(0);
        int[] width = new int[columns];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (int k = 0; k < rows.size(); k++) {
            String[] r = rows.get(k);
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(r[i]);
                if (i < r.length - 1) {
                    line.append(" ".repeat(width[i] - r[i].length() + 2));
                }
            }
            out.println(line.toString().stripTrailing());
            notes.get(k).forEach(out::println);
        }
    }
}
