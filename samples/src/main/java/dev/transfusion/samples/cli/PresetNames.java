package dev.transfusion.samples.cli;

import dev.transfusion.core.TransfusionConfig;
import java.util.Iterator;

/** The configuration presets' names, smallest first, for {@code --preset}'s help ({@code ${COMPLETION-CANDIDATES}}). */
public final class PresetNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
        return TransfusionConfig.PRESETS.entrySet().stream()
                .sorted((a, b) -> Long.compare(a.getValue().parameterCount(), b.getValue().parameterCount()))
                .map(e -> e.getKey()).iterator();
    }
}
