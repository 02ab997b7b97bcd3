package dev.rotation.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The results as a Markdown table, with the machine and settings it ran with. */
final class Report {
    private Report() {
    }

    static String markdown(Map<String, Bench.Results> results, Bench.Options options, String javaToolOptions,
            String python, List<FunctionProcess.Jvm> jvms, FunctionProcess.Image image) {
        List<String> names = new ArrayList<>(results.keySet());
        StringBuilder b = new StringBuilder();
        b.append("| Measurement: median (minimum) | ").append(String.join(" | ", names)).append(" |\n");
        b.append("|---|").append("---:|".repeat(names.size())).append('\n');
        row(b, "Deployment jar", names, results, r -> String.format(Locale.ROOT, "%.2f MB", r.jarBytes / 1e6));
        for (Bench.Kind kind : Bench.Kind.values()) {
            boolean compared = kind == Bench.Kind.ZIP_JAVA21_COMPARED || kind == Bench.Kind.IMAGE_COMPARED;
            if (compared && options.compare.isEmpty()) {
                continue;
            }
            String label = compared ? kind.label.replace("the --compare options", "`" + String.join(" ", options.compare)
                    + "`") : kind.label;
            row(b, "Cold start, " + label + ": wall", names, results,
                    r -> ms(r.wall(kind).median()) + " (" + ms(r.wall(kind).min()) + ")");
            row(b, "  CPU, all threads", names, results,
                    r -> ms(r.cpu(kind).median()) + " (" + ms(r.cpu(kind).min()) + ")");
            if (kind != Bench.Kind.PYTHON) {
                row(b, "  / Python: wall, CPU", names, results, r -> ratio(r.wall(kind), r.wall(Bench.Kind.PYTHON))
                        + ", " + ratio(r.cpu(kind), r.cpu(Bench.Kind.PYTHON)));
            }
            if (kind == Bench.Kind.ZIP_JAVA21 || kind == Bench.Kind.ZIP_JAVA25 || kind == Bench.Kind.IMAGE
                    || compared) {
                row(b, "  of which init (launch to first `invocation/next`)", names, results,
                        r -> ms(r.init(kind).median()));
                row(b, "  peak RSS of the cold rotation (VmHWM)", names, results, r -> mb(r.rss(kind).median()));
            }
            if (kind == Bench.Kind.SNAPSTART) {
                row(b, "  before the snapshot: init + priming hooks, wall and CPU", names, results,
                        r -> ms(r.snapInit.median()) + ", " + ms(r.snapInitCpu.median()));
            }
        }
        for (String step : new String[] {"createSecret", "setSecret", "testSecret", "finishSecret"}) {
            row(b, "Warm " + step, names, results, r -> ms(r.warmStep.get(step).median()));
        }
        row(b, "Warm whole rotation (4 steps)", names, results, r -> ms(r.warmRotation.median()));
        row(b, "Peak RSS after " + (options.warmup + options.warm) + " warm rotations", names, results,
                r -> mb(r.warmRssKb));
        row(b, "Peak RSS after the throughput run", names, results, r -> mb(r.poolRssKb));
        row(b, "Classes loaded by a cold rotation (all / from the jar)", names, results,
                r -> r.classesTotal + " / " + r.classesFunction);
        row(b, "Secrets Manager requests per rotation", names, results, r -> requests(r.smRequests));
        row(b, "Database connections per rotation (see below)", names, results, r -> Integer.toString(r.dbLogins));
        row(b, "Rotations per second (" + options.secrets + " secrets, " + options.concurrency
                + " environments)", names, results, r -> String.format(Locale.ROOT, "%.1f", r.rotationsPerSecond));
        b.append('\n');
        Bench.Results any = results.values().stream().findFirst().orElse(null);
        b.append(String.format(Locale.ROOT, "Cold starts: %d of each kind, in turn (zip java21, zip java25, image, zip"
                + " without the runtime client, Python, SnapStart), each from launch (SnapStart: from the restore point)"
                + " to the end of the first createSecret; CPU time is the process's user + system time, all threads"
                + " (/proc/PID/stat, 10 ms ticks), at that moment. %d warm rotations after %d to warm up.%s%n",
                any == null ? 0 : any.wall(Bench.Kind.PYTHON).count(), options.warm, options.warmup,
                options.quick ? " **Quick mode: single samples, not for publishing.**" : ""));
        b.append("Database connections: the functions log in 3 times per single-user rotation (setSecret: the pending"
                + " credentials, then the current ones; testSecret: the pending ones); a secret without an \"ssl\" key"
                + " tries TLS first, and the bench's servers offer none, so the first login of each step here is 2 connections"
                + " (the server is then known to offer no TLS for the rest of the step).\n");
        b.append("Machine: ").append(machine()).append('\n');
        for (FunctionProcess.Jvm jvm : jvms) {
            b.append(jvm.label()).append(": ").append(jdk(jvm.java())).append(", runtime interface client 2.10.1,"
                    + " `-XX:+UseSerialGC -XX:SharedArchiveFile=runtime.jsa -XX:MaxRAM=<MemorySize>")
                    .append(jvm.options().isEmpty() ? "" : " " + String.join(" ", jvm.options()))
                    .append("` and Lambda's other options.\n");
        }
        b.append("Container image (emulated): image/lambda-java with ").append(jdk(image.java()))
                .append(" for the base image's java, the same runtime client, image/jvm.options and `-XX:AOTCache`,"
                        + " after its training run (`image/lambda-java train`).\n");
        b.append("JAVA_TOOL_OPTIONS (template.yaml, every row): `").append(javaToolOptions).append("`; ")
                .append(python).append(".\n");
        b.append("Run ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(".\n");
        return b.toString();
    }

    private static String jdk(java.nio.file.Path java) {
        java.nio.file.Path home = java.toAbsolutePath().getParent().getParent();
        return "Java " + Jdks.version(home).orElse("?") + " (" + home.getFileName() + ")";
    }

    private static String ratio(Stats value, Stats reference) {
        return String.format(Locale.ROOT, "%.2f ×", value.median() / reference.median());
    }

    private static void row(StringBuilder b, String label, List<String> names, Map<String, Bench.Results> results,
            Function<Bench.Results, String> cell) {
        b.append("| ").append(label).append(" | ");
        b.append(names.stream().map(n -> cell.apply(results.get(n))).collect(Collectors.joining(" | ")));
        b.append(" |\n");
    }

    private static String ms(double value) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, value < 100 ? "%.1f ms" : "%.0f ms", value);
    }

    private static String mb(double kb) {
        return kb <= 0 || Double.isNaN(kb) ? "–" : String.format(Locale.ROOT, "%.0f MB", kb / 1024);
    }

    private static String requests(Map<String, Integer> ops) {
        int total = ops.values().stream().mapToInt(Integer::intValue).sum();
        return total + " (" + ops.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", ")) + ")";
    }

    static String machine() {
        String cpu = grep(Path.of("/proc/cpuinfo"), "model name").orElse(System.getProperty("os.arch"));
        String mem = grep(Path.of("/proc/meminfo"), "MemTotal").map(v -> {
            long kb = Long.parseLong(v.replaceAll("[^0-9]", ""));
            return String.format(Locale.ROOT, "%.0f GB RAM", kb / 1024.0 / 1024.0);
        }).orElse("? RAM");
        String os = grep(Path.of("/etc/os-release"), "PRETTY_NAME").map(v -> v.replace("\"", ""))
                .orElse(System.getProperty("os.name"));
        String load;
        try {
            load = ", load average " + Files.readString(Path.of("/proc/loadavg")).split(" ")[0] + " at the end of the run";
        } catch (IOException | RuntimeException e) {
            load = "";
        }
        return cpu + ", " + Runtime.getRuntime().availableProcessors() + " CPUs, " + mem + ", " + os + load;
    }

    private static java.util.Optional<String> grep(Path file, String key) {
        try {
            return Files.readAllLines(file).stream().filter(l -> l.startsWith(key))
                    .map(l -> l.substring(l.indexOf(l.contains(":") ? ':' : '=') + 1).strip()).findFirst();
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }
}
