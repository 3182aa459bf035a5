package dev.transfusion.samples.report;

import dev.transfusion.api.spi.Evaluation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code report.html}: the metrics as a table and the samples picture beside it. */
public final class HtmlReport {
    private HtmlReport() {
    }

    /** Writes the report; {@code picture} is the PNG's file name next to it. */
    public static void write(Path html, Evaluation evaluation, String picture, String command, double minutes) {
        StringBuilder rows = new StringBuilder();
        for (Evaluation.Metric m : evaluation.metrics()) {
            rows.append(row(m.label(), switch (m.kind()) {
                case SHARE -> pct(m.value());
                case COUNT -> String.valueOf((long) m.value());
                case VALUE -> String.format("%.3f", m.value());
            }));
        }
        String title = escape("Transfusion on " + evaluation.title());
        String page = "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>" + title + "</title>"
                + "<style>body{font-family:sans-serif;margin:2em}td{padding:4px 12px}"
                + "tr:nth-child(odd){background:#f3f3f3}</style></head><body>\n"
                + "<h1>" + title + "</h1>\n<p>" + escape(evaluation.summary()) + "</p>\n<table>" + rows
                + "</table>\n<p>Command: <code>" + escape(command) + "</code>, "
                + String.format("%.1f", minutes) + " minutes.</p>\n<img src=\"" + escape(picture)
                + "\" alt=\"prompts with drawn images, and held-out images with captions\">\n</body></html>\n";
        try {
            Files.writeString(html, page);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + html + ": " + e.getMessage(), e);
        }
    }

    private static String row(String name, String value) {
        return "<tr><td>" + escape(name) + "</td><td>" + value + "</td></tr>";
    }

    private static String pct(double v) {
        return String.format("%.1f%%", 100 * v);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
