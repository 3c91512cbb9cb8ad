package dev.durable.runtime.postgres;

import dev.durable.DurableClock;
import dev.durable.ErrorInfo;
import dev.durable.JournalException;
import dev.durable.internal.Ownership;
import dev.durable.spi.journal.EventCodec;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Which executions this worker owns, under which epoch, and every change of ownership in the database: claims (each
 * bumps the execution's epoch, the fencing token every append is conditional on), lease renewal, and release when a
 * run ends. A suspended execution is released with its due time and has no owner; whichever worker is free when it
 * falls due claims it.
 */
final class Leases implements Ownership {
    /** One claim of one execution by this worker. */
    static final class Lease {
        final long epoch;
        /** The execution's count of outside events when it was claimed, or when a release last found it moved. */
        volatile long changes;
        /** Set when an append or a renewal found that another worker claimed it since. */
        volatile boolean lost;

        Lease(long epoch, long changes) {
            this.epoch = epoch;
            this.changes = changes;
        }
    }

    /** An execution claimed by this worker. */
    record Claim(String name, long epoch) {}

    private final DataSource ds;
    private final Tables t;
    private final String worker;
    private final Duration lease;
    private final DurableClock clock;
    private final Runnable dueSoon;
    private final boolean runsHandlers;
    /** A release due within this (the poll interval) wakes other workers with a notification. */
    private volatile Duration hintHorizon = Duration.ofSeconds(1);

    private final Map<String, Lease> held = new ConcurrentHashMap<>();

    /** @param dueSoon told when a release or wake-up may make something due earlier than the poller expects */
    Leases(
            DataSource ds,
            Tables t,
            String worker,
            Duration lease,
            DurableClock clock,
            boolean runsHandlers,
            Runnable dueSoon) {
        this.runsHandlers = runsHandlers;
        this.ds = ds;
        this.t = t;
        this.worker = worker;
        this.lease = lease;
        this.clock = clock;
        this.dueSoon = dueSoon;
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public boolean runsHandlers() {
        return runsHandlers;
    }

    Lease get(String name) {
        return held.get(name);
    }

    int heldCount() {
        return held.size();
    }

    /** Notes an execution this worker just started (its row was inserted already claimed, epoch 1). */
    void started(String name) {
        held.put(name, new Lease(1, 0));
    }

    void hintHorizon(Duration pollInterval) {
        this.hintHorizon = pollInterval;
    }

    long leaseMillis() {
        return lease.toMillis();
    }

    /**
     * Claims up to {@code limit} executions of the given functions ({@code name@version}) that are due at {@code now},
     * or whose owner's lease ran out: most urgent first, skipping rows another worker is claiming.
     */
    List<Claim> claimDue(Collection<String> functions, int limit) {
        if (limit <= 0 || functions.isEmpty()) {
            return List.of();
        }
        String sql = "UPDATE " + t.executions() + " e SET status = 'RUNNING', owner = ?, epoch = e.epoch + 1,"
                + " lease_until = now() + ? * interval '1 millisecond', wake_at = NULL"
                + " WHERE e.name IN (SELECT name FROM " + t.executions()
                + "   WHERE ((status IN ('READY', 'WAITING') AND wake_at <= ?) OR (status = 'RUNNING' AND lease_until < now()))"
                + "   AND function || '@' || version = ANY (?)"
                + "   ORDER BY priority DESC, wake_at NULLS FIRST LIMIT ? FOR UPDATE SKIP LOCKED)"
                + " RETURNING e.name, e.epoch, e.changes";
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, worker);
            ps.setLong(2, lease.toMillis());
            Tables.setInstant(ps, 3, clock.now());
            Array fns = c.createArrayOf("text", functions.toArray());
            ps.setArray(4, fns);
            ps.setInt(5, limit);
            return held(ps);
        } catch (SQLException e) {
            throw new JournalException("PostgreSQL refused the claim of due executions: " + e.getMessage());
        }
    }

    /** The executions a claim statement returned (name, epoch, changes), each now held under its new epoch. */
    private List<Claim> held(PreparedStatement claim) throws SQLException {
        List<Claim> claimed = new ArrayList<>();
        try (ResultSet rs = claim.executeQuery()) {
            while (rs.next()) {
                Claim c = new Claim(rs.getString(1), rs.getLong(2));
                held.put(c.name(), new Lease(c.epoch(), rs.getLong(3)));
                claimed.add(c);
            }
        }
        return claimed;
    }

    /**
     * Claims up to {@code limit} BLOCKED executions of the given functions that code newer than the code that blocked
     * them may now run: those blocked by a worker that started before this one (or that no worker holds any more).
     * A worker that blocks an execution is named as its {@code owner} (with no lease), so an execution is re-evaluated
     * only by workers started after the one that last blocked it: once per deploy, never in a loop.
     */
    List<Claim> claimBlocked(Collection<String> functions, int limit) {
        if (limit <= 0 || functions.isEmpty()) {
            return List.of();
        }
        String sql = "UPDATE " + t.executions() + " e SET status = 'RUNNING', owner = ?, epoch = e.epoch + 1,"
                + " lease_until = now() + ? * interval '1 millisecond', wake_at = NULL, error = NULL"
                + " WHERE e.name IN (SELECT name FROM " + t.executions()
                + "   WHERE status = 'BLOCKED' AND function || '@' || version = ANY (?)"
                + "   AND (owner IS NULL OR (owner <> ? AND owner NOT IN (SELECT id FROM " + t.workers()
                + "     WHERE started_at >= (SELECT started_at FROM " + t.workers() + " WHERE id = ?))))"
                + "   ORDER BY priority DESC, started_at LIMIT ? FOR UPDATE SKIP LOCKED)"
                + " RETURNING e.name, e.epoch, e.changes";
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, worker);
            ps.setLong(2, lease.toMillis());
            ps.setArray(3, c.createArrayOf("text", functions.toArray()));
            ps.setString(4, worker);
            ps.setString(5, worker);
            ps.setInt(6, limit);
            return held(ps);
        } catch (SQLException e) {
            throw new JournalException("PostgreSQL refused the claim of blocked executions: " + e.getMessage());
        }
    }

    /**
     * Claims one execution for a change from outside (a callback completed, a cancel), whatever its due time, unless
     * another worker holds a live lease on it. Returns false if it is held elsewhere or does not exist.
     */
    boolean claim(String name) {
        String sql = "UPDATE " + t.executions() + " SET owner = ?, epoch = epoch + 1,"
                + " lease_until = now() + ? * interval '1 millisecond',"
                + " status = CASE WHEN status IN ('READY', 'WAITING') THEN 'RUNNING' ELSE status END"
                + " WHERE name = ? AND (status <> 'RUNNING' OR lease_until < now() OR owner IS NULL)"
                + " RETURNING epoch, changes";
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, worker);
            ps.setLong(2, lease.toMillis());
            ps.setString(3, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                held.put(name, new Lease(rs.getLong(1), rs.getLong(2)));
                return true;
            }
        } catch (SQLException e) {
            throw new JournalException("PostgreSQL refused the claim of execution '" + name + "': " + e.getMessage());
        }
    }

    @Override
    public Release release(String name, boolean ended, Instant wakeAt) {
        Lease l = held.get(name);
        if (l == null) {
            return Release.LET_GO;
        }
        Instant now = clock.now();
        String status = ended ? null : wakeAt != null && !wakeAt.isAfter(now) ? "READY" : "WAITING";
        // A lease believed lost is still given back under its epoch: if it was not lost after all, the row must not
        // stay with this worker; if it was, the epoch no longer matches and nothing changes. Outside events matter
        // only to an execution that would wait: one due now is run afresh by whoever claims it.
        boolean checkChanges = !ended && !l.lost && "WAITING".equals(status);
        String sql = ended
                ? "UPDATE " + t.executions() + " SET owner = NULL, lease_until = NULL, epoch = epoch + 1"
                        + " WHERE name = ? AND epoch = ?"
                : "UPDATE " + t.executions() + " SET status = CASE WHEN finished_at IS NULL THEN ? ELSE status END,"
                        + " owner = NULL, lease_until = NULL,"
                        + " wake_at = CASE WHEN finished_at IS NULL THEN ? ELSE wake_at END,"
                        + " epoch = epoch + 1 WHERE name = ? AND epoch = ?" + (checkChanges ? " AND changes = ?" : "");
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (!ended) {
                ps.setString(i++, status);
                Tables.setInstant(ps, i++, ceilMicros(wakeAt));
            }
            ps.setString(i++, name);
            ps.setLong(i++, l.epoch);
            if (checkChanges) {
                ps.setLong(i, l.changes);
            }
            if (ps.executeUpdate() == 1) {
                held.remove(name, l);
                if (wakeAt != null) {
                    if (wakeAt.isBefore(now.plus(hintHorizon))) {
                        notifyDue(c); // due before other workers' next poll: worth a hint
                    }
                    dueSoon.run();
                }
                return Release.LET_GO;
            }
            long[] current = checkChanges ? epochAndChanges(c, name) : null;
            if (current != null && current[0] == l.epoch) {
                l.changes = current[1]; // the next run reads the history after these events
                return Release.RUN_AGAIN;
            }
            held.remove(name, l);
            return Release.LET_GO;
        } catch (SQLException e) {
            held.remove(name, l);
            throw new JournalException("PostgreSQL refused to take back execution '" + name + "': " + e.getMessage());
        }
    }

    /**
     * Holds {@code name} BLOCKED: no lease, due for no one, this worker named as the one whose code blocked it, the
     * divergence as its error. Re-evaluated by workers started later ({@link #claimBlocked}).
     */
    @Override
    public Release block(String name, ErrorInfo reason) {
        Lease l = held.get(name);
        if (l == null) {
            return Release.LET_GO;
        }
        String sql = "UPDATE " + t.executions() + " SET status = 'BLOCKED', error = ?, owner = ?, lease_until = NULL,"
                + " wake_at = NULL, epoch = epoch + 1 WHERE name = ? AND epoch = ? AND finished_at IS NULL"
                + (l.lost ? "" : " AND changes = ?");
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, new String(EventCodec.write(reason), StandardCharsets.UTF_8));
            ps.setString(2, worker);
            ps.setString(3, name);
            ps.setLong(4, l.epoch);
            if (!l.lost) {
                ps.setLong(5, l.changes);
            }
            if (ps.executeUpdate() == 1) {
                held.remove(name, l);
                return Release.LET_GO;
            }
            long[] current = l.lost ? null : epochAndChanges(c, name);
            if (current != null && current[0] == l.epoch) {
                l.changes = current[1]; // an outside event arrived meanwhile: the next run sees it
                return Release.RUN_AGAIN;
            }
            held.remove(name, l);
            return Release.LET_GO;
        } catch (SQLException e) {
            held.remove(name, l);
            throw new JournalException(
                    "PostgreSQL refused to hold execution '" + name + "' blocked: " + e.getMessage());
        }
    }

    private long[] epochAndChanges(Connection c, String name) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT epoch, changes FROM " + t.executions() + " WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new long[] {rs.getLong(1), rs.getLong(2)} : null;
            }
        }
    }

    @Override
    public void wake(String name) {
        Instant now = clock.now();
        String sql = "UPDATE " + t.executions() + " SET changes = changes + 1,"
                + " wake_at = CASE WHEN status IN ('READY', 'WAITING') THEN LEAST(COALESCE(wake_at, ?), ?)"
                + " ELSE wake_at END WHERE name = ? AND finished_at IS NULL";
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            Tables.setInstant(ps, 1, now);
            Tables.setInstant(ps, 2, now);
            ps.setString(3, name);
            if (ps.executeUpdate() == 1) {
                notifyDue(c);
                dueSoon.run();
            }
        } catch (SQLException e) {
            throw new JournalException("PostgreSQL refused to wake execution '" + name + "': " + e.getMessage());
        }
    }

    /** Asks the owner of a running execution to cancel it; false if it is not running anywhere. */
    boolean requestCancel(String name) {
        String sql = "UPDATE " + t.executions() + " SET cancel_requested = true, changes = changes + 1"
                + " WHERE name = ? AND finished_at IS NULL";
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, name);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new JournalException("PostgreSQL refused the cancel of execution '" + name + "': " + e.getMessage());
        }
    }

    /**
     * Extends the leases of the executions this worker holds, and notes the ones another worker claimed since. Only
     * rows it holds under the epoch it claimed are extended: a row left with this worker's id by an earlier process of
     * the same id, or by a run that stopped, runs out and is claimed again. Returns the names whose cancel was
     * requested by another process.
     */
    List<String> renew() {
        List<String> cancels = new ArrayList<>();
        Map<String, Lease> snapshot = Map.copyOf(held); // a lease taken after this is fresh: not judged here
        if (snapshot.isEmpty()) {
            return cancels;
        }
        // Only the executions held here: a row this worker let go of (a release the database did not acknowledge)
        // must run out of lease so that another worker resumes it. Rows are locked in name order, the order in which
        // the journal's group commit locks them, so that a renewal and a commit of this worker cannot deadlock.
        String sql = "UPDATE " + t.executions() + " SET lease_until = now() + ? * interval '1 millisecond'"
                + " WHERE name IN (SELECT name FROM " + t.executions() + " WHERE owner = ? AND name = ANY (?)"
                + " ORDER BY name COLLATE \"C\" FOR UPDATE)"
                + " RETURNING name, epoch, cancel_requested AND finished_at IS NULL";
        Map<String, Long> renewed = new java.util.HashMap<>();
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, lease.toMillis());
            ps.setString(2, worker);
            ps.setArray(3, c.createArrayOf("text", snapshot.keySet().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    renewed.put(rs.getString(1), rs.getLong(2));
                    if (rs.getBoolean(3)) {
                        cancels.add(rs.getString(1));
                    }
                }
            }
        } catch (SQLException e) {
            throw new JournalException(
                    "PostgreSQL refused to renew the leases of worker '" + worker + "': " + e.getMessage());
        }
        snapshot.forEach((name, l) -> {
            Long epoch = renewed.get(name);
            if ((epoch == null || epoch != l.epoch) && held.get(name) == l) {
                l.lost = true;
            }
        });
        return cancels;
    }

    /** Hands every execution this worker holds back, due now, so that other workers need not wait for leases. */
    void releaseAll() {
        String sql = "UPDATE " + t.executions() + " SET status = CASE WHEN status = 'RUNNING' THEN 'READY'"
                + " ELSE status END, owner = NULL, lease_until = NULL,"
                + " wake_at = CASE WHEN status = 'RUNNING' THEN ? ELSE wake_at END, epoch = epoch + 1 WHERE owner = ?";
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            Tables.setInstant(ps, 1, clock.now());
            ps.setString(2, worker);
            if (ps.executeUpdate() > 0) {
                notifyDue(c);
            }
        } catch (SQLException e) {
            throw new JournalException("PostgreSQL refused to take back the executions of worker '" + worker
                    + "'; they are claimed again when their leases run out: " + e.getMessage());
        } finally {
            held.clear();
        }
    }

    /** The executions this worker holds a lease on. */
    java.util.Set<String> names() {
        return java.util.Set.copyOf(held.keySet());
    }

    /**
     * Gives up a claim the engine never took over (loading it failed, say): handed back due now if the database
     * answers, else left to run out, since it is no longer renewed either way.
     */
    void drop(String name) {
        Lease l = held.get(name);
        if (l == null) {
            return;
        }
        try {
            release(name, false, clock.now());
        } catch (RuntimeException unreachable) {
            // not renewed any more: the lease runs out and the execution is claimed again
        } finally {
            held.remove(name, l);
        }
    }

    /** Marks a lease lost (an append was refused). */
    void lost(String name) {
        Lease l = held.get(name);
        if (l != null) {
            l.lost = true;
        }
    }

    void notifyDue(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, '')")) {
            ps.setString(1, t.channel());
            ps.execute();
        }
    }

    /** Rounds up to the database's microseconds, so that a timer never looks due before its time. */
    static Instant ceilMicros(Instant at) {
        if (at == null) {
            return null;
        }
        Instant down = at.truncatedTo(ChronoUnit.MICROS);
        return down.equals(at) ? at : down.plus(1, ChronoUnit.MICROS);
    }
}
