package dev.transfusion.api.spi;

/**
 * A modality the SDK can read and write. Found at run time with {@link java.util.ServiceLoader}; each
 * modality name may be claimed by exactly one plugin.
 */
public sealed interface ModalityPlugin permits DiscreteModalityPlugin, ContinuousModalityPlugin {

    /** The modality name parts of this kind carry, e.g. {@code "text"} or {@code "image"}. */
    String modality();

    /** The plugin's version, recorded in every model that uses it. */
    String version();

    /** One line for people: what the plugin does and which formats it reads. */
    String description();
}
