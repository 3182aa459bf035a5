package dev.transfusion.core.train;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where a training run stands, saved with every checkpoint. Batches and noise are a pure function of
 * (seed, step), so these few numbers are the whole RNG and data position: resuming replays exactly.
 *
 * @param step       optimizer steps done
 * @param totalSteps steps planned
 * @param seed       the run's seed
 * @param peakLr     peak learning rate
 * @param warmup     warm-up steps
 * @param lastLoss   the total loss of the last step (for people reading the file)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TrainingState(@JsonProperty("step") long step, @JsonProperty("total_steps") long totalSteps,
                            @JsonProperty("seed") long seed, @JsonProperty("peak_lr") double peakLr,
                            @JsonProperty("warmup") long warmup, @JsonProperty("last_loss") double lastLoss) {
}
