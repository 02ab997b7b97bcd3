package dev.rotation.testkit.faults;

import dev.rotation.testkit.Strategy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The convergence report: one row per engine and strategy, printed to the test output and written
 * to {@code target/fault-convergence.md} (rewritten with every row, so the file holds what this JVM
 * ran) for the README.
 */
public final class ConvergenceTable {
    static final Path FILE = Path.of("target", "fault-convergence.md");
    private static final List<Row> ROWS = new ArrayList<>();

    private ConvergenceTable() {
    }

    /**
     * @param positions call positions a fault-free rotation makes
     * @param injected rotations run with one fault
     * @param failedAStep how many of those made a step fail (the others hit a call whose failure the step absorbs)
     * @param converged how many converged with the invariant intact throughout
     */
    record Row(String engine, String strategy, int positions, int injected, int failedAStep, int converged) {
        String percent() {
            return injected == 0 ? "-" : String.format(Locale.ROOT, "%.0f %%", 100.0 * converged / injected);
        }
    }

    static synchronized void record(Row row) {
        ROWS.add(row);
        String table = render();
        System.out.println(table);
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, table);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + FILE, e);
        }
    }

    static synchronized String render() {
        StringBuilder out = new StringBuilder();
        out.append("| Engine | Strategy | Call positions | Faults injected | Made a step fail | Converged | % |\n");
        out.append("|---|---|---:|---:|---:|---:|---:|\n");
        for (Row r : ROWS) {
            out.append("| ").append(r.engine()).append(" | ").append(r.strategy()).append(" | ").append(r.positions())
                    .append(" | ").append(r.injected()).append(" | ").append(r.failedAStep()).append(" | ")
                    .append(r.converged()).append(" | ").append(r.percent()).append(" |\n");
        }
        return out.toString();
    }
}
