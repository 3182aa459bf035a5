package dev.transfusion.samples.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IllegalFormatException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * The description and command list of every help page, wrapped at spaces only. Picocli wraps with the JDK's
 * line {@link java.text.BreakIterator}, which breaks after a dot inside a word ({@code report.} / {@code html},
 * {@code grpc.} / {@code health.v1}); file names and package names must stay whole. A command's summary in the
 * list is the first element of its description, which is one whole sentence by this project's convention.
 */
final class HelpLayout {
    private HelpLayout() {
    }

    /** Installs the renderers on {@code cli} and every subcommand below it. */
    static void install(CommandLine cli) {
        cli.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_DESCRIPTION, HelpLayout::description);
        cli.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_COMMAND_LIST, HelpLayout::commandList);
        cli.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_OPTION_LIST, HelpLayout::optionList);
        for (CommandLine sub : cli.getSubcommands().values()) {
            install(sub);
        }
    }

    private static String description(Help help) {
        StringBuilder out = new StringBuilder();
        int width = help.commandSpec().usageMessage().width();
        for (String paragraph : paragraphs(help.commandSpec().usageMessage().description())) {
            for (String line : wrap(paragraph, width - 1)) {   // as picocli: the last column stays free
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    /** Picocli's description elements are format strings ({@code %n} a line break): their lines. */
    private static List<String> paragraphs(String[] elements) {
        List<String> out = new ArrayList<>();
        for (String e : elements) {
            String text;
            try {
                text = String.format(Locale.ROOT, e);
            } catch (IllegalFormatException notAFormat) {
                text = e;
            }
            out.addAll(List.of(text.split("\\R", -1)));
        }
        return out;
    }

    /**
     * Picocli's option rows (required marker, short name, comma, long name and label, description lines) laid
     * out in its columns, the description wrapped at spaces with continuation lines two further in.
     */
    private static String optionList(Help help) {
        List<OptionSpec> options = new ArrayList<>();
        for (OptionSpec o : help.commandSpec().options()) {
            if (!o.hidden()) {
                options.add(o);
            }
        }
        Comparator<OptionSpec> order = help.createDefaultOptionSort();
        if (order != null) {
            options.sort(order);
        }
        int width = help.commandSpec().usageMessage().width();
        int descStart = 6 + help.calcLongOptionColumnWidth(options, List.of(), help.colorScheme());
        Help.IOptionRenderer renderer = help.createDefaultOptionRenderer();
        Help.IParamLabelRenderer labels = help.createDefaultParamLabelRenderer();
        StringBuilder out = new StringBuilder();
        for (OptionSpec o : options) {
            Help.Ansi.Text[][] rows = renderer.render(o, labels, help.colorScheme());
            for (int r = 0; r < rows.length; r++) {
                Help.Ansi.Text[] cells = rows[r];
                StringBuilder line = new StringBuilder();
                line.append(pad(cells[0].plainString(), 2)).append(pad(cells[1].plainString(), 2))
                        .append(pad(cells[2].plainString(), 1)).append(' ').append(cells[3].plainString());
                String text = cells[4].plainString();
                List<String> wrapped = wrap(text, width - descStart);
                if (line.toString().isBlank() && wrapped.isEmpty()) {
                    continue;
                }
                if (line.length() > descStart - 1 && !wrapped.isEmpty()) {
                    out.append(line.toString().stripTrailing()).append('\n');   // a long name: text below it
                    line.setLength(0);
                }
                for (int i = 0; i < wrapped.size(); i++) {
                    if (i == 1) {
                        wrapped = wrap(String.join(" ", wrapped.subList(1, wrapped.size())), width - descStart - 2);
                        for (String rest : wrapped) {
                            out.append(" ".repeat(descStart + 2)).append(rest).append('\n');
                        }
                        break;
                    }
                    out.append(pad(line.toString(), descStart)).append(wrapped.get(i)).append('\n');
                }
                if (wrapped.isEmpty()) {
                    out.append(line.toString().stripTrailing()).append('\n');
                }
            }
        }
        return out.toString();
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    private static String commandList(Help help) {
        Map<String, Help> subs = help.subcommands();
        if (subs.isEmpty()) {
            return "";
        }
        int nameWidth = subs.keySet().stream().mapToInt(String::length).max().orElse(0);
        int indent = 2 + nameWidth + 2, width = help.commandSpec().usageMessage().width();
        StringBuilder out = new StringBuilder();
        for (var e : subs.entrySet()) {
            // picocli's choice of summary: the header when there is one, else the first line of the description
            UsageMessageSpec usage = e.getValue().commandSpec().usageMessage();
            List<String> header = paragraphs(usage.header()), description = paragraphs(usage.description());
            String summary = header.stream().filter(l -> !l.isBlank()).findFirst()
                    .orElse(description.stream().filter(l -> !l.isBlank()).findFirst().orElse(""));
            List<String> lines = wrap(summary, width - 1 - indent);
            out.append("  ").append(e.getKey()).append(" ".repeat(indent - 2 - e.getKey().length()));
            for (int i = 0; i < lines.size(); i++) {
                // continuation lines two further in, as picocli's own list
                out.append(i == 0 ? "" : " ".repeat(indent + 2)).append(lines.get(i)).append('\n');
            }
            if (lines.isEmpty()) {
                out.append('\n');
            }
        }
        return out.toString();
    }

    /** {@code text} in lines of at most {@code width} characters, broken at spaces only (a longer word stands alone). */
    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.strip().split(" +")) {
            if (word.isEmpty()) {
                continue;
            }
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }
}
