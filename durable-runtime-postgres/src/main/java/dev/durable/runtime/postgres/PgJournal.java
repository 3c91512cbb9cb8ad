package dev.durable.runtime.postgres;

import dev.durable.ErrorInfo;
import dev.durable.ExecutionStatus;
import dev.durable.JournalException;
import dev.durable.spi.journal.AlreadyStartedException;
import dev.durable.spi.journal.EventCodec;
import dev.durable.spi.journal.ExecutionEvent;
import dev.durable.spi.journal.Journal;
import dev.durable.spi.journal.JournalRecord;
import dev.durable.spi.journal.LeaseLostException;
import dev.durable.spi.journal.OpEvent;
import dev.durable.spi.journal.OpStatus;
import dev.durable.spi.journal.OpType;
import dev.durable.spi.journal.RecordType;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import javax.sql.DataSource;

/**
 * The journal in PostgreSQL: an execution's records in {@code records}, its state in {@code executions}.
 *
 * <p>Every append is fenced: the row of its execution is updated only if it still carries the epoch of this worker's
 * claim, in the same transaction as the record insert; no row updated means the lease was lost, and the append fails
 * with {@link LeaseLostException} without being retried. Appends of many executions share one transaction and so one
 * WAL flush (group commit): one committer thread takes whatever is queued and commits it at once.
 */
final class PgJournal implements Journal {
    /** The most records one transaction carries. */
    static final int MAX_GROUP = 1024;

    private final DataSource ds;
    private final Tables t;
    private final Leases leases;
    private final String worker;
    /** Told of each group committed; set once by the engine, if a plugin listens. */
    private volatile CommitObserver observer;

    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread committer;
    private volatile boolean closed;

    private static final class Pending {
        final JournalRecord record;
        final CompletableFuture<Void> done = new CompletableFuture<>();

        Pending(JournalRecord record) {
            this.record = record;
        }
    }

    private static final Pending STOP = new Pending(null);

    PgJournal(DataSource ds, Tables t, Leases leases, String worker) {
        this.ds = ds;
        this.t = t;
        this.leases = leases;
        this.worker = worker;
        this.committer = new Thread(this::commitLoop, "durable-postgres-commit-" + worker);
        committer.setDaemon(true);
        committer.start();
    }

    @Override
    public void append(JournalRecord record) {
        if (closed) {
            throw new JournalException("the PostgreSQL journal is closed; open the runtime again");
        }
        Pending p = new Pending(record);
        queue.add(p);
        try {
            p.done.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new JournalException("the append of " + record.type() + " for execution '" + record.executionId()
                    + "' failed: " + e.getCause());
        }
    }

    private void commitLoop() {
        List<Pending> group = new ArrayList<>();
        while (true) {
            try {
                Pending first = queue.take();
                if (first == STOP) {
                    return;
                }
                group.add(first);
                queue.drainTo(group, MAX_GROUP - 1);
                boolean stop = group.remove(STOP);
                CommitObserver o = observer;
                long began = o == null ? 0 : System.nanoTime();
                commit(group);
                if (o != null) {
                    tell(o, group, System.nanoTime() - began);
                }
                group.clear();
                if (stop) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | Error e) {
                group.forEach(p -> p.done.completeExceptionally(e));
                group.clear();
            }
        }
    }

    @Override
    public void observeCommits(CommitObserver o) {
        observer = o;
    }

    /** Tells {@code o} of the records of {@code group} that were written: those refused (fenced out) were not. */
    private static void tell(CommitObserver o, List<Pending> group, long nanos) {
        int records = 0;
        long bytes = 0;
        for (Pending p : group) {
            if (p.done.isDone() && !p.done.isCompletedExceptionally()) {
                records++;
                bytes += p.record.payload().length;
            }
        }
        if (records == 0) {
            return;
        }
        try {
            o.committed(records, bytes, nanos);
        } catch (RuntimeException e) {
            // an observer only watches: the group's outcome is settled
        }
    }

    /** Commits one group: each execution's records after its fenced row update, all in one transaction. */
    private void commit(List<Pending> group) {
        // one lock order for every worker and for lease renewal: names compared as UTF-16, as COLLATE "C" compares
        // their UTF-8 bytes for every name short of characters outside the BMP
        Map<String, List<Pending>> byExecution = new TreeMap<>();
        for (Pending p : group) {
            byExecution
                    .computeIfAbsent(p.record.executionId(), k -> new ArrayList<>(2))
                    .add(p);
        }
        if (byExecution.values().stream().allMatch(PgJournal::onlyOperations)) {
            commitOperations(group, byExecution);
            return;
        }
        List<Pending> written = new ArrayList<>(group.size());
        List<String> startedHere = new ArrayList<>();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement records = c.prepareStatement("INSERT INTO " + t.records()
                            + " (execution, seq, type, operation, payload) VALUES (?, ?, ?, ?, ?)");
                    PreparedStatement callbacks = c.prepareStatement("INSERT INTO " + t.callbacks()
                            + " (id, execution, operation) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING")) {
                boolean anyCallback = false;
                Map<String, Long> plain = advancePlain(c, byExecution);
                for (Map.Entry<String, List<Pending>> entry : byExecution.entrySet()) {
                    String name = entry.getKey();
                    List<Pending> ps = entry.getValue();
                    Long advanced = plain.get(name);
                    long lastSeq = advanced != null ? advanced : advance(c, name, ps, startedHere);
                    if (lastSeq < 0) {
                        continue; // refused: the pendings are failed already
                    }
                    long seq = lastSeq - ps.size();
                    for (Pending p : ps) {
                        JournalRecord r = p.record;
                        records.setString(1, name);
                        records.setLong(2, ++seq);
                        records.setShort(3, r.type().code());
                        records.setString(4, r.operationId());
                        records.setBytes(5, r.payload());
                        records.addBatch();
                        String callbackId = createdCallback(r);
                        if (callbackId != null) {
                            callbacks.setString(1, callbackId);
                            callbacks.setString(2, name);
                            callbacks.setString(3, r.operationId());
                            callbacks.addBatch();
                            anyCallback = true;
                        }
                    }
                    written.addAll(ps);
                }
                if (!written.isEmpty()) {
                    records.executeBatch();
                    if (anyCallback) {
                        callbacks.executeBatch();
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        } catch (SQLException e) {
            JournalException failed = new JournalException("PostgreSQL did not acknowledge " + written.size()
                    + " record(s): " + e.getMessage() + "; the runs that wrote them stop and resume from what the"
                    + " database holds");
            group.forEach(p -> p.done.completeExceptionally(failed)); // those refused already keep their error
            return;
        }
        startedHere.forEach(leases::started);
        written.forEach(p -> p.done.complete(null));
    }

    /**
     * A group of one record, the whole of a sequential execution's traffic: the same fenced move of {@code last_seq}
     * and insert as for many, with plain parameters instead of arrays for the server to parse.
     *
     * @return the execution's name if the record was written, empty if its epoch moved on (the lease was lost)
     */
    private java.util.Optional<String> writeOne(
            Connection c, String name, long epoch, short type, String operation, byte[] payload) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("WITH u AS (UPDATE " + t.executions() + " e"
                + " SET last_seq = e.last_seq + 1 WHERE e.name = ? AND e.epoch = ? RETURNING e.last_seq)"
                + " INSERT INTO " + t.records() + " (execution, seq, type, operation, payload)"
                + " SELECT ?, u.last_seq, ?, ?, ? FROM u RETURNING execution")) {
            ps.setString(1, name);
            ps.setLong(2, epoch);
            ps.setString(3, name);
            ps.setShort(4, type);
            ps.setString(5, operation);
            ps.setBytes(6, payload);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? java.util.Optional.of(rs.getString(1)) : java.util.Optional.empty();
            }
        }
    }

    /** Whether a group's records of one execution are operations only, none creating a callback. */
    private static boolean onlyOperations(List<Pending> ps) {
        for (Pending p : ps) {
            if (p.record.type() != RecordType.OPERATION || EventCodec.mayCreateCallback(p.record)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The common group, operation records of executions this worker runs, in one statement: each execution's
     * {@code last_seq} moved on under its epoch and its records inserted with the numbers that gives, so a lone step
     * costs one round trip and its commit. Several executions' rows are locked first, in name order.
     */
    private void commitOperations(List<Pending> group, Map<String, List<Pending>> byExecution) {
        List<String> names = new ArrayList<>();
        List<Long> epochs = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        List<String> recordExecutions = new ArrayList<>();
        List<Long> indexes = new ArrayList<>();
        List<Short> types = new ArrayList<>();
        List<String> operations = new ArrayList<>();
        List<byte[]> payloads = new ArrayList<>();
        for (Map.Entry<String, List<Pending>> e : byExecution.entrySet()) {
            Leases.Lease lease = leases.get(e.getKey());
            if (lease == null || lease.lost) {
                refuse(e.getKey(), e.getValue());
                continue;
            }
            names.add(e.getKey());
            epochs.add(lease.epoch);
            counts.add((long) e.getValue().size());
            long i = 0;
            for (Pending p : e.getValue()) {
                recordExecutions.add(e.getKey());
                indexes.add(++i);
                types.add((short) p.record.type().code());
                operations.add(p.record.operationId());
                payloads.add(p.record.payload());
            }
        }
        if (names.isEmpty()) {
            return;
        }
        java.util.Set<String> written = new java.util.HashSet<>();
        try (Connection c = ds.getConnection()) {
            boolean several = names.size() > 1;
            c.setAutoCommit(!several);
            try {
                if (several) {
                    try (PreparedStatement lock = c.prepareStatement("SELECT 1 FROM " + t.executions()
                            + " WHERE name = ANY (?) ORDER BY name COLLATE \"C\" FOR UPDATE")) {
                        lock.setArray(1, c.createArrayOf("text", names.toArray()));
                        lock.executeQuery().close();
                    }
                }
                if (recordExecutions.size() == 1) {
                    writeOne(c, names.get(0), epochs.get(0), types.get(0), operations.get(0), payloads.get(0))
                            .ifPresent(written::add);
                } else {
                    try (PreparedStatement ps = c.prepareStatement("WITH u AS (UPDATE " + t.executions() + " e"
                            + " SET last_seq = e.last_seq + v.n FROM unnest(?::text[], ?::bigint[], ?::bigint[])"
                            + " AS v(name, epoch, n) WHERE e.name = v.name AND e.epoch = v.epoch"
                            + " RETURNING e.name, e.last_seq - v.n AS base)"
                            + " INSERT INTO " + t.records() + " (execution, seq, type, operation, payload)"
                            + " SELECT r.execution, u.base + r.idx, r.type, r.operation, r.payload"
                            + " FROM unnest(?::text[], ?::bigint[], ?::smallint[], ?::text[], ?::bytea[])"
                            + " AS r(execution, idx, type, operation, payload) JOIN u ON u.name = r.execution"
                            + " RETURNING execution")) {
                        ps.setArray(1, c.createArrayOf("text", names.toArray()));
                        ps.setArray(2, c.createArrayOf("bigint", epochs.toArray()));
                        ps.setArray(3, c.createArrayOf("bigint", counts.toArray()));
                        ps.setArray(4, c.createArrayOf("text", recordExecutions.toArray()));
                        ps.setArray(5, c.createArrayOf("bigint", indexes.toArray()));
                        ps.setArray(6, c.createArrayOf("smallint", types.toArray()));
                        ps.setArray(7, c.createArrayOf("text", operations.toArray()));
                        ps.setArray(8, c.createArrayOf("bytea", payloads.toArray(new byte[0][])));
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                written.add(rs.getString(1));
                            }
                        }
                    }
                }
                if (several) {
                    c.commit();
                }
            } catch (SQLException | RuntimeException e) {
                if (several) {
                    rollbackQuietly(c);
                }
                throw e;
            }
        } catch (SQLException e) {
            JournalException failed = new JournalException("PostgreSQL did not acknowledge " + group.size()
                    + " record(s): " + e.getMessage() + "; the runs that wrote them stop and resume from what the"
                    + " database holds");
            group.forEach(p -> p.done.completeExceptionally(failed));
            return;
        }
        for (String name : names) {
            if (written.contains(name)) {
                byExecution.get(name).forEach(p -> p.done.complete(null));
            } else {
                leases.lost(name);
                refuse(name, byExecution.get(name));
            }
        }
    }

    /** Whether an execution's records in a group need more than moving its {@code last_seq} on. */
    private static boolean plain(List<Pending> ps) {
        RecordType head = ps.get(0).record.type();
        RecordType tail = ps.get(ps.size() - 1).record.type();
        return head != RecordType.EXECUTION_STARTED
                && tail != RecordType.EXECUTION_FINISHED
                && tail != RecordType.EXECUTION_RETRIED;
    }

    /**
     * Locks the rows of every execution of the group that exists already, in name order (the order lease renewal
     * locks them in, so the two never deadlock), then moves {@code last_seq} on for all the plain ones in one
     * statement, each conditional on this worker's epoch. Returns the new last seq by name; a plain execution
     * missing from it lost its lease, and its pendings are failed here.
     */
    private Map<String, Long> advancePlain(Connection c, Map<String, List<Pending>> byExecution) throws SQLException {
        List<String> existing = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Long> epochs = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        for (Map.Entry<String, List<Pending>> e : byExecution.entrySet()) {
            List<Pending> ps = e.getValue();
            if (ps.get(0).record.type() == RecordType.EXECUTION_STARTED) {
                continue;
            }
            existing.add(e.getKey());
            if (plain(ps)) {
                Leases.Lease lease = leases.get(e.getKey());
                if (lease == null || lease.lost) {
                    continue; // refused by advance(), which finds the same
                }
                names.add(e.getKey());
                epochs.add(lease.epoch);
                counts.add((long) ps.size());
            }
        }
        Map<String, Long> advanced = new java.util.HashMap<>();
        List<String> ending = new ArrayList<>();
        byExecution.forEach((name, ps) -> {
            if (ps.get(ps.size() - 1).record.type() == RecordType.EXECUTION_FINISHED) {
                ending.add(name);
            }
        });
        if (existing.size() > 1 || !ending.isEmpty()) {
            // the parents of executions that end here are woken in this transaction: locked in the same order
            try (PreparedStatement lock = c.prepareStatement("SELECT 1 FROM " + t.executions()
                    + " WHERE name = ANY (?) OR name IN (SELECT parent FROM " + t.executions()
                    + " WHERE name = ANY (?)) ORDER BY name COLLATE \"C\" FOR UPDATE")) {
                lock.setArray(1, c.createArrayOf("text", existing.toArray()));
                lock.setArray(2, c.createArrayOf("text", ending.toArray()));
                lock.executeQuery().close();
            }
        }
        if (names.isEmpty()) {
            return advanced;
        }
        try (PreparedStatement up = c.prepareStatement("UPDATE " + t.executions() + " e SET last_seq = e.last_seq + v.n"
                + " FROM unnest(?::text[], ?::bigint[], ?::bigint[]) AS v(name, epoch, n)"
                + " WHERE e.name = v.name AND e.epoch = v.epoch RETURNING e.name, e.last_seq")) {
            up.setArray(1, c.createArrayOf("text", names.toArray()));
            up.setArray(2, c.createArrayOf("bigint", epochs.toArray()));
            up.setArray(3, c.createArrayOf("bigint", counts.toArray()));
            try (ResultSet rs = up.executeQuery()) {
                while (rs.next()) {
                    advanced.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        for (String name : names) {
            if (!advanced.containsKey(name)) {
                Leases.Lease lease = leases.get(name);
                if (lease != null) {
                    lease.lost = true;
                }
                refuse(name, byExecution.get(name));
                advanced.put(name, -1L);
            }
        }
        return advanced;
    }

    /**
     * Moves the execution's {@code last_seq} on by its records in this group, if this worker still owns it (or
     * inserts it, for a start). Returns the new last seq, or -1 after failing the pendings.
     */
    private long advance(Connection c, String name, List<Pending> ps, List<String> startedHere) throws SQLException {
        JournalRecord head = ps.get(0).record;
        if (head.type() == RecordType.EXECUTION_STARTED) {
            ExecutionEvent s = EventCodec.readExecution(head);
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO " + t.executions()
                    + " (name, function, version, input, parent, parent_operation, status, started_at, epoch, owner,"
                    + " lease_until, last_seq) VALUES (?, ?, ?, ?, ?, ?, 'RUNNING', ?, 1, ?,"
                    + " now() + ? * interval '1 millisecond', ?) ON CONFLICT (name) DO NOTHING")) {
                ins.setString(1, name);
                ins.setString(2, s.function());
                ins.setInt(3, s.functionVersion());
                ins.setString(4, s.input());
                ins.setString(5, s.parent());
                ins.setString(6, s.parentOperation());
                Tables.setInstant(ins, 7, s.at());
                ins.setString(8, worker);
                ins.setLong(9, leases.leaseMillis());
                ins.setLong(10, ps.size());
                if (ins.executeUpdate() == 0) {
                    AlreadyStartedException exists = new AlreadyStartedException(
                            "execution '" + name + "' was started by another process first");
                    ps.forEach(p -> p.done.completeExceptionally(exists));
                    return -1;
                }
            }
            startedHere.add(name);
            return ps.size();
        }
        Leases.Lease lease = leases.get(name);
        if (lease == null || lease.lost) {
            refuse(name, ps);
            return -1;
        }
        JournalRecord tail = ps.get(ps.size() - 1).record;
        String set = "last_seq = last_seq + ?";
        ExecutionEvent end = null;
        if (tail.type() == RecordType.EXECUTION_FINISHED) {
            end = EventCodec.readExecution(tail);
            set += ", status = ?, result = ?, error = ?, finished_at = ?, owner = NULL, lease_until = NULL,"
                    + " wake_at = NULL, cancel_requested = false";
        } else if (tail.type() == RecordType.EXECUTION_RETRIED) {
            set += ", status = 'RUNNING', result = NULL, error = NULL, finished_at = NULL";
        }
        try (PreparedStatement up = c.prepareStatement(
                "UPDATE " + t.executions() + " SET " + set + " WHERE name = ? AND epoch = ? RETURNING last_seq")) {
            int i = 1;
            up.setLong(i++, ps.size());
            if (end != null) {
                up.setString(i++, end.status().name());
                up.setString(i++, end.result());
                up.setString(
                        i++,
                        end.error() == null ? null : new String(EventCodec.write(end.error()), StandardCharsets.UTF_8));
                Tables.setInstant(up, i++, end.at());
            }
            up.setString(i++, name);
            up.setLong(i, lease.epoch);
            long lastSeq;
            try (ResultSet rs = up.executeQuery()) {
                if (!rs.next()) {
                    lease.lost = true;
                    refuse(name, ps);
                    return -1;
                }
                lastSeq = rs.getLong(1);
            }
            if (end != null) {
                wakeParent(c, name, end.at());
            }
            return lastSeq;
        }
    }

    /**
     * Wakes the parent of an execution that ends, in the transaction that journals the end, so that no crash or lost
     * connection can separate the two: a waiting parent falls due at {@code at}, a running one sees its count of
     * outside events move and runs again before it waits.
     */
    private void wakeParent(Connection c, String child, java.time.Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + t.executions() + " p SET changes = p.changes + 1,"
                + " wake_at = CASE WHEN p.status IN ('READY', 'WAITING') THEN LEAST(COALESCE(p.wake_at, ?), ?)"
                + " ELSE p.wake_at END FROM " + t.executions() + " ch"
                + " WHERE ch.name = ? AND p.name = ch.parent AND p.finished_at IS NULL")) {
            Tables.setInstant(ps, 1, at);
            Tables.setInstant(ps, 2, at);
            ps.setString(3, child);
            ps.executeUpdate();
        }
    }

    private void refuse(String name, List<Pending> ps) {
        LeaseLostException lost = new LeaseLostException("worker '" + worker + "' no longer owns execution '" + name
                + "' (another worker claimed it after its lease ran out); nothing was written");
        ps.forEach(p -> p.done.completeExceptionally(lost));
    }

    /** The id of the callback a record creates, or {@code null}: read only from records that can carry one. */
    private static String createdCallback(JournalRecord r) {
        if (!EventCodec.mayCreateCallback(r)) {
            return null;
        }
        OpEvent e = EventCodec.readOperation(r);
        return e.type() == OpType.CALLBACK && e.status() == OpStatus.STARTED ? e.callbackId() : null;
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the transaction is gone with it
        }
    }

    // ---- reads ----------------------------------------------------------------------------------------------

    @Override
    public Collection<String> executionIds() {
        return names("SELECT name FROM " + t.executions() + " ORDER BY started_at, name");
    }

    List<String> names(String sql, Object... args) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                if (args[i] instanceof Collection<?> list) {
                    Array a = c.createArrayOf("text", list.toArray());
                    ps.setArray(i + 1, a);
                } else {
                    ps.setObject(i + 1, args[i]);
                }
            }
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new JournalException("PostgreSQL refused a query: " + e.getMessage());
        }
    }

    @Override
    public List<JournalRecord> read(String executionId) {
        try (Connection c = ds.getConnection()) {
            return records(c, executionId, "ORDER BY seq");
        } catch (SQLException e) {
            throw new JournalException("PostgreSQL refused to read execution '" + executionId + "': " + e.getMessage());
        }
    }

    private List<JournalRecord> records(Connection c, String name, String tail) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT type, operation, payload FROM " + t.records() + " WHERE execution = ? " + tail)) {
            ps.setString(1, name);
            List<JournalRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    RecordType type = RecordType.fromCode((byte) rs.getShort(1));
                    if (type == null) {
                        throw new JournalException("execution '" + name + "' has a record of unknown type "
                                + rs.getShort(1) + " in " + t.records() + "; a newer version of the library wrote"
                                + " it: upgrade this worker");
                    }
                    out.add(new JournalRecord(type, name, rs.getString(2), rs.getBytes(3)));
                }
            }
            return out;
        }
    }

    @Override
    public JournalRecord first(String executionId) {
        return one(executionId, "ORDER BY seq LIMIT 1");
    }

    @Override
    public JournalRecord last(String executionId) {
        return one(executionId, "ORDER BY seq DESC LIMIT 1");
    }

    private JournalRecord one(String name, String tail) {
        try (Connection c = ds.getConnection()) {
            List<JournalRecord> r = records(c, name, tail);
            return r.isEmpty() ? null : r.get(0);
        } catch (SQLException e) {
            throw new JournalException("PostgreSQL refused to read execution '" + name + "': " + e.getMessage());
        }
    }

    /**
     * Removes ended executions with their records and callbacks: only rows that ended and no worker owns, so a
     * retry that claimed one meanwhile keeps it.
     */
    @Override
    public void forget(Collection<String> executionIds) {
        if (executionIds.isEmpty()) {
            return;
        }
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                Array names = c.createArrayOf("text", executionIds.toArray());
                List<String> gone = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t.executions()
                        + " WHERE name = ANY (?) AND finished_at IS NOT NULL AND owner IS NULL RETURNING name")) {
                    ps.setArray(1, names);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            gone.add(rs.getString(1));
                        }
                    }
                }
                Array removed = c.createArrayOf("text", gone.toArray());
                for (String table : List.of(t.records(), t.callbacks())) {
                    try (PreparedStatement ps =
                            c.prepareStatement("DELETE FROM " + table + " WHERE execution = ANY (?)")) {
                        ps.setArray(1, removed);
                        ps.executeUpdate();
                    }
                }
                c.commit();
            } catch (SQLException e) {
                rollbackQuietly(c);
                throw e;
            }
        } catch (SQLException e) {
            throw new JournalException("PostgreSQL refused to remove ended executions: " + e.getMessage());
        }
    }

    /** Why execution {@code name} is BLOCKED, as the worker that blocked it wrote it; {@code null} if it is not. */
    ErrorInfo blockedBy(String name) {
        List<String> s = names("SELECT error FROM " + t.executions() + " WHERE name = ? AND status = 'BLOCKED'", name);
        return s.isEmpty() || s.get(0) == null ? null : errorInfo(s.get(0));
    }

    static ErrorInfo errorInfo(String json) {
        try {
            return EventCodec.MAPPER.readValue(json, ErrorInfo.class);
        } catch (java.io.IOException e) {
            throw new JournalException("an execution's error in PostgreSQL is unreadable: " + e.getMessage(), e);
        }
    }

    /** The status of an execution as the database has it, or {@code null} if there is none of that name. */
    ExecutionStatus status(String name) {
        List<String> s = names("SELECT status FROM " + t.executions() + " WHERE name = ?", name);
        if (s.isEmpty()) {
            return null;
        }
        return "READY".equals(s.get(0)) ? ExecutionStatus.WAITING : ExecutionStatus.valueOf(s.get(0));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.add(STOP);
        try {
            committer.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
