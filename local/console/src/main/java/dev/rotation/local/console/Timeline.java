package dev.rotation.local.console;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The versions of one secret as an inline SVG: one row per version (newest on top), a bar where it held
 * AWSCURRENT or AWSPREVIOUS (from the audit trail), AWSPENDING where it sits now, deprecated versions
 * (no label left) greyed. Every bar carries {@code data-version} and {@code data-label}, and a title
 * with its times.
 */
final class Timeline {
    static final int WIDTH = 960;
    private static final int LEFT = 330;
    private static final int RIGHT = 20;
    private static final int ROW = 28;
    private static final int TOP = 24;

    /** A version as ListSecretVersionIds shows it now. */
    record Version(String id, List<String> labels, Instant created) {
    }

    private Timeline() {
    }

    static String svg(List<Version> versionsNewestFirst, List<History.Span> history, Instant now) {
        Map<String, Version> byId = new LinkedHashMap<>();
        versionsNewestFirst.forEach(v -> byId.put(v.id(), v));
        List<History.Span> spans = new ArrayList<>();
        for (History.Span s : history) {
            // A span still open in the trail but no longer true (the trail is cut short) closes at the present labels.
            boolean open = s.to() == null;
            Version v = byId.get(s.version());
            if (open && (v == null || !v.labels().contains(s.label()))) {
                continue;
            }
            spans.add(s);
        }
        // Labels held now that the trail does not explain (it began later) start at the version's creation.
        for (Version v : versionsNewestFirst) {
            for (String label : List.of(History.CURRENT, History.PREVIOUS)) {
                boolean explained = spans.stream().anyMatch(s -> s.to() == null && s.version().equals(v.id())
                        && s.label().equals(label));
                if (v.labels().contains(label) && !explained) {
                    spans.add(new History.Span(v.id(), label, v.created(), null));
                }
            }
        }
        List<String> rows = new ArrayList<>(byId.keySet());
        for (History.Span s : spans) {
            if (!rows.contains(s.version())) {
                rows.add(s.version()); // no longer listed: purged
            }
        }
        Instant start = now;
        for (Version v : versionsNewestFirst) {
            if (v.created() != null && v.created().isBefore(start)) {
                start = v.created();
            }
        }
        for (History.Span s : spans) {
            if (s.from() != null && s.from().isBefore(start)) {
                start = s.from();
            }
        }
        Instant end = now;
        long total = Math.max(1000, Duration.between(start, end).toMillis());
        start = end.minusMillis(total + total / 20); // a little room on the left
        final Instant t0 = start;
        final long span = Duration.between(t0, end).toMillis();
        int height = TOP + rows.size() * ROW + 30;
        StringBuilder b = new StringBuilder();
        b.append("<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 ")
                .append(WIDTH).append(' ').append(height).append("\" width=\"").append(WIDTH).append("\" height=\"")
                .append(height).append("\"><title>Versions and their staging labels over time</title>");
        legend(b);
        for (int i = 0; i < rows.size(); i++) {
            String id = rows.get(i);
            Version v = byId.get(id);
            int y = TOP + i * ROW;
            boolean deprecated = v == null || v.labels().isEmpty();
            b.append("<g class=\"row").append(deprecated ? " deprecated" : "").append("\" data-version=\"")
                    .append(Html.esc(id)).append("\">");
            b.append("<rect class=\"lane\" x=\"0\" y=\"").append(y).append("\" width=\"").append(WIDTH)
                    .append("\" height=\"").append(ROW - 4).append("\"/>");
            String labels = v == null ? "purged" : v.labels().isEmpty() ? "deprecated" : String.join(", ", v.labels());
            b.append("<text class=\"vid\" x=\"6\" y=\"").append(y + 16).append("\">").append(Html.esc(shortId(id)))
                    .append("</text><text class=\"now-labels\" x=\"100\" y=\"").append(y + 16).append("\">")
                    .append(Html.esc(labels)).append("</text>");
            for (History.Span s : spans) {
                if (s.version().equals(id)) {
                    bar(b, s.label(), id, s.from(), s.to(), y, t0, span, end);
                }
            }
            if (v != null && v.labels().contains(History.PENDING)) {
                bar(b, History.PENDING, id, v.created(), null, y, t0, span, end);
            }
            b.append("</g>");
        }
        int axis = TOP + rows.size() * ROW + 14;
        b.append("<text class=\"axis\" x=\"").append(LEFT).append("\" y=\"").append(axis).append("\">")
                .append(Html.esc(Html.time(t0, ""))).append("</text>");
        b.append("<text class=\"axis\" text-anchor=\"end\" x=\"").append(WIDTH - RIGHT).append("\" y=\"").append(axis)
                .append("\">now ").append(Html.esc(Html.time(end, ""))).append("</text>");
        b.append("</svg>");
        return b.toString();
    }

    private static void legend(StringBuilder b) {
        int x = LEFT;
        for (String label : List.of(History.CURRENT, History.PREVIOUS, History.PENDING)) {
            b.append("<rect class=\"bar ").append(cls(label)).append("\" x=\"").append(x).append("\" y=\"4\" width=\"14\""
                    + " height=\"10\"/><text class=\"axis\" x=\"").append(x + 18).append("\" y=\"13\">").append(label)
                    .append("</text>");
            x += 130;
        }
        b.append("<rect class=\"lane deprecated-key\" x=\"").append(x).append("\" y=\"4\" width=\"14\" height=\"10\"/>")
                .append("<text class=\"axis\" x=\"").append(x + 18).append("\" y=\"13\">deprecated</text>");
    }

    private static void bar(StringBuilder b, String label, String version, Instant from, Instant to, int y, Instant t0,
                            long span, Instant end) {
        Instant f = from == null ? t0 : from;
        Instant t = to == null ? end : to;
        double x1 = x(f, t0, span);
        double x2 = Math.max(x1 + 3, x(t, t0, span));
        // AWSPENDING is a thin stripe under the row's other bar: it often shares a version with AWSCURRENT.
        boolean pending = label.equals(History.PENDING);
        b.append("<rect class=\"bar ").append(cls(label)).append("\" data-label=\"").append(label)
                .append("\" data-version=\"").append(Html.esc(version)).append("\" data-open=\"").append(to == null)
                .append("\" x=\"").append(fmt(x1)).append("\" y=\"").append(pending ? y + ROW - 11 : y + 4)
                .append("\" width=\"").append(fmt(x2 - x1)).append("\" height=\"").append(pending ? 5 : ROW - 14)
                .append("\"><title>")
                .append(Html.esc(label + " on " + version + " from " + Html.time(from, "before the audit trail")
                        + (to == null ? " until now" : " to " + Html.time(to, "")))).append("</title></rect>");
    }

    private static double x(Instant t, Instant t0, long span) {
        double frac = Math.min(1, Math.max(0, Duration.between(t0, t).toMillis() / (double) span));
        return LEFT + frac * (WIDTH - LEFT - RIGHT);
    }

    private static String cls(String label) {
        return switch (label) {
            case History.CURRENT -> "current";
            case History.PREVIOUS -> "previous";
            case History.PENDING -> "pending";
            default -> "other";
        };
    }

    private static String fmt(double d) {
        return String.format(Locale.ROOT, "%.1f", d);
    }

    static String shortId(String id) {
        return id.length() > 8 ? id.substring(0, 8) + "…" : id;
    }
}
