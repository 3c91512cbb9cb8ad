package dev.durable.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Side effects kept outside the journal: step bodies append {@code run} lines before they return, handlers append
 * {@code ack} lines once a step call has returned, callback submitters append {@code callback} lines. Each line is
 * on disk (DSYNC) before the call that wrote it goes on, so after a SIGKILL the file tells what really happened and
 * can be held against the journal.
 *
 * <pre>
 * run &lt;execution&gt; &lt;operation&gt; &lt;attempt, or - where the body cannot know it&gt;
 * ack &lt;execution&gt; &lt;operation&gt; &lt;value the step call returned&gt;
 * callback &lt;execution&gt; &lt;callback id&gt;
 * </pre>
 */
public final class EffectLog implements AutoCloseable {
    private final FileChannel file;
    private final boolean echo;
    private volatile Consumer<Line> listener = line -> {};

    private EffectLog(FileChannel file, boolean echo) {
        this.file = file;
        this.echo = echo;
    }

    /** Opens {@code path} for appending; with {@code echo}, each line is also printed as {@code E <line>}. */
    public static EffectLog open(Path path, boolean echo) {
        try {
            return new EffectLog(
                    FileChannel.open(
                            path,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE,
                            StandardOpenOption.APPEND,
                            StandardOpenOption.DSYNC),
                    echo);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Called with each line once it is on disk. */
    public void onLine(Consumer<Line> listener) {
        this.listener = listener;
    }

    /** A step body ran (is running) attempt {@code attempt} of {@code operation}; 0 when the body cannot know it. */
    public void run(String execution, String operation, int attempt) {
        append(new Line("run", execution, operation, attempt == 0 ? "-" : Integer.toString(attempt)));
    }

    /** The step call for {@code operation} returned {@code value} to the handler: it is acknowledged. */
    public <T> T ack(String execution, String operation, T value) {
        append(new Line("ack", execution, operation, String.valueOf(value)));
        return value;
    }

    /** A callback submitter handed out {@code callbackId}. */
    public void callback(String execution, String callbackId) {
        append(new Line("callback", execution, callbackId, ""));
    }

    private void append(Line line) {
        byte[] bytes = (line.text() + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (this) {
            try {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    file.write(buffer);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (echo) {
                System.out.println("E " + line.text());
            }
        }
        listener.accept(line);
    }

    @Override
    public void close() throws IOException {
        file.close();
    }

    /** The whole lines of {@code path}; a last line cut off by a kill (no newline yet) is not one. */
    public static List<Line> read(Path path) throws IOException {
        List<Line> lines = new ArrayList<>();
        if (!Files.exists(path)) {
            return lines;
        }
        String text = Files.readString(path, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        if (end < 0) {
            return lines;
        }
        for (String raw : text.substring(0, end).split("\n", -1)) {
            lines.add(Line.parse(raw));
        }
        return lines;
    }

    /**
     * One line of the log.
     *
     * @param kind run, ack or callback
     * @param execution the execution it belongs to
     * @param subject the operation, or the callback id
     * @param value the attempt, the acknowledged value, or empty
     */
    public record Line(String kind, String execution, String subject, String value) {
        String text() {
            return kind + " " + execution + " " + subject + (value.isEmpty() ? "" : " " + value);
        }

        static Line parse(String raw) {
            String[] parts = raw.split(" ", 4);
            if (parts.length < 3) {
                throw new IllegalArgumentException("not an effect line: '" + raw + "'");
            }
            return new Line(parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : "");
        }
    }
}
