package dev.durable.systemtests;

import dev.durable.DurableRuntime;
import dev.durable.ExecutionDetails;
import dev.durable.OperationInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The step guarantees, checked on an {@link EffectLog} (what the bodies really did) and the journal (what was
 * acknowledged):
 * <ul>
 *   <li>once a step call has returned (its result acknowledged), its body never runs again;</li>
 *   <li>every acknowledged step is in the journal as succeeded, with the value the call returned;</li>
 *   <li>attempts of a step only go forward: attempt n never runs once attempt n + 1 has, so a re-run is always of
 *       an attempt whose outcome was not acknowledged;</li>
 *   <li>an at-most-once body never starts twice in one attempt (by attempt number where the body knows it; else no
 *       more runs than journaled attempts).</li>
 * </ul>
 */
final class EffectChecks {
    private EffectChecks() {}

    private record Op(String execution, String operation) {
        @Override
        public String toString() {
            return "operation '" + operation + "' of execution '" + execution + "'";
        }
    }

    /** What the effect log alone shows to be wrong; empty if nothing. */
    static List<String> ofLog(List<EffectLog.Line> lines, Set<String> atMostOnce) {
        List<String> violations = new ArrayList<>();
        Map<Op, String> acknowledged = new HashMap<>();
        Map<Op, Integer> lastAttempt = new HashMap<>();
        Set<String> attemptsRun = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            EffectLog.Line line = lines.get(i);
            Op op = new Op(line.execution(), line.subject());
            String where = " (effect line " + (i + 1) + ")";
            switch (line.kind()) {
                case "ack" -> {
                    String earlier = acknowledged.putIfAbsent(op, line.value());
                    if (earlier != null && !earlier.equals(line.value())) {
                        violations.add(op + " returned '" + earlier + "' and later '" + line.value() + "'" + where);
                    }
                }
                case "run" -> {
                    if (acknowledged.containsKey(op)) {
                        violations.add(op + " ran again after its result was acknowledged" + where);
                    }
                    if (!line.value().equals("-")) {
                        int attempt = Integer.parseInt(line.value());
                        Integer last = lastAttempt.put(op, attempt);
                        if (last != null && attempt < last) {
                            violations.add(op + " ran attempt " + attempt + " after attempt " + last + where);
                        }
                        if (!attemptsRun.add(op + "#" + attempt) && atMostOnce.contains(op.operation())) {
                            violations.add("at-most-once " + op + " started attempt " + attempt + " twice" + where);
                        }
                    }
                }
                default -> {}
            }
        }
        return violations;
    }

    /** What the journal contradicts in the effect log; empty if nothing. */
    static List<String> againstJournal(List<EffectLog.Line> lines, DurableRuntime engine, Set<String> atMostOnce) {
        List<String> violations = new ArrayList<>();
        Map<String, ExecutionDetails> details = new HashMap<>();
        Map<Op, Integer> runs = new HashMap<>();
        Set<Op> checked = new HashSet<>();
        for (EffectLog.Line line : lines) {
            Op op = new Op(line.execution(), line.subject());
            if (line.kind().equals("run")) {
                runs.merge(op, 1, Integer::sum);
            }
            if (!line.kind().equals("ack") || !checked.add(op)) {
                continue;
            }
            ExecutionDetails d = details.computeIfAbsent(op.execution(), engine::describe);
            List<OperationInfo> journaled = d.operations(op.operation());
            if (journaled.stream().noneMatch(o -> o.status().equals("SUCCEEDED"))) {
                violations.add(op + " was acknowledged but the journal holds " + journaled);
            }
        }
        for (Map.Entry<Op, Integer> run : runs.entrySet()) {
            Op op = run.getKey();
            if (!atMostOnce.contains(op.operation())) {
                continue;
            }
            ExecutionDetails d = details.computeIfAbsent(op.execution(), engine::describe);
            int attempts = d.operations(op.operation()).stream()
                    .mapToInt(OperationInfo::attempt)
                    .max()
                    .orElse(0);
            if (run.getValue() > attempts) {
                violations.add("at-most-once " + op + " started " + run.getValue() + " times in " + attempts
                        + " journaled attempts");
            }
        }
        return violations;
    }
}
