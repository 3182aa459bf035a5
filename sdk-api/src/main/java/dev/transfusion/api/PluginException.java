package dev.transfusion.api;

/** A modality plugin is missing, claimed twice, or failed to load its files. */
public class PluginException extends TransfusionException {
    private static final long serialVersionUID = 1L;

    public PluginException(String message) {
        super(message);
    }

    public PluginException(String message, Throwable cause) {
        super(message, cause);
    }
}
