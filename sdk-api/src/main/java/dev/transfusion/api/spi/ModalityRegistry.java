package dev.transfusion.api.spi;

import java.util.Set;

/** The modality plugins found at run time, answered by modality name. */
public interface ModalityRegistry {

    /** Every registered modality name. */
    Set<String> modalities();

    /**
     * The plugin of a modality.
     *
     * @throws dev.transfusion.api.PluginException when none is registered, listing those that are
     */
    ModalityPlugin plugin(String modality);

    /** The discrete plugin of a modality; fails with a clear message if it is missing or continuous. */
    DiscreteModalityPlugin discrete(String modality);

    /** The continuous plugin of a modality; fails with a clear message if it is missing or discrete. */
    ContinuousModalityPlugin continuous(String modality);
}
