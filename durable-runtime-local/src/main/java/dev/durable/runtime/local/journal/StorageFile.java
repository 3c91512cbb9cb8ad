package dev.durable.runtime.local.journal;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** One open journal file: positional reads and writes, force, truncate. See {@link JournalStorage}. */
public interface StorageFile extends Closeable {
    /** Writes some of {@code src} at {@code position}; may write fewer bytes than remain, like a channel. */
    int write(ByteBuffer src, long position) throws IOException;

    /** Reads into {@code dst} from {@code position}; -1 at end of file. */
    int read(ByteBuffer dst, long position) throws IOException;

    void force(boolean metaData) throws IOException;

    long size() throws IOException;

    void truncate(long size) throws IOException;

    /** Writes all of {@code src}, however many calls it takes. */
    default void writeFully(ByteBuffer src, long position) throws IOException {
        long at = position;
        while (src.hasRemaining()) {
            at += write(src, at);
        }
    }

    /** Fills {@code dst} from {@code position}, or fails if the file ends first. */
    default void readFully(ByteBuffer dst, long position) throws IOException {
        long at = position;
        while (dst.hasRemaining()) {
            int n = read(dst, at);
            if (n < 0) {
                throw new EOFException(
                        "the file ends at " + at + ", before the " + dst.remaining() + " more bytes expected there");
            }
            at += n;
        }
    }

    /** The real file. */
    class OfChannel implements StorageFile {
        private final FileChannel channel;

        OfChannel(FileChannel channel) {
            this.channel = channel;
        }

        /** The same file as {@code file}, for a subclass in this package that changes some of its operations. */
        OfChannel(OfChannel file) {
            this(file.channel);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return channel.write(src, position);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return channel.read(dst, position);
        }

        @Override
        public void force(boolean metaData) throws IOException {
            channel.force(metaData);
        }

        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public void truncate(long size) throws IOException {
            channel.truncate(size);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
