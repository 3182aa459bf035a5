package dev.transfusion.plugins.image;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where a VAE training run stands, saved as training-state.json with every checkpoint. Images and noise
 * are pure functions of (seed, step), so these numbers and the optimizer moments are the whole state.
 *
 * @param step          optimizer steps done
 * @param scaleMeasured whether the latent scale in config.json has been measured (the first phase is over)
 * @param lastLoss      the last step's total loss (for people reading the file)
 * @param options       the run's options
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VaeTrainingState(@JsonProperty("step") long step, @JsonProperty("scale_measured") boolean scaleMeasured,
                               @JsonProperty("last_loss") double lastLoss,
                               @JsonProperty("options") VaeTrainingOptions options) {
}
