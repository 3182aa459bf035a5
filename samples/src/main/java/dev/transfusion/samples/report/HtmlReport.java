package dev.transfusion.samples.report;

import dev.transfusion.core.shapes.ShapesEvaluation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code report.html}: the metrics as a table and the samples picture beside it. */
public final class HtmlReport {
    private HtmlReport() {
    }

    /** Writes the report; {@code picture} is the PNG's file name next to it. */
    public static void write(Path html, ShapesEvaluation.Metrics m, String picture, String command, double minutes) {
        String rows = row("text to image: all four attributes", pct(m.textToImage()))
                + row("text to image: colour", pct(m.textToImageColour()))
                + row("text to image: shape", pct(m.textToImageShape()))
                + row("text to image: size", pct(m.textToImageSize()))
                + row("text to image: position", pct(m.textToImagePosition()))
                + row("captions with all four attributes right", pct(m.captions()))
                + row("questions answered right", pct(m.answers()))
                + row("caption perplexity", String.format("%.3f", m.captionPerplexity()))
                + row("held-out samples", String.valueOf(m.n()));
        String page = "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>Transfusion on shapes-v1</title>"
                + "<style>body{font-family:sans-serif;margin:2em}td{padding:4px 12px}"
                + "tr:nth-child(odd){background:#f3f3f3}</style></head><body>\n"
                + "<h1>Transfusion on shapes-v1</h1>\n<p>One transformer trained from scratch on this machine to draw "
                + "from captions, caption images and answer questions about them. Chance for all four attributes "
                + "is 0.6%.</p>\n<table>" + rows + "</table>\n<p>Command: <code>" + escape(command) + "</code>, "
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
