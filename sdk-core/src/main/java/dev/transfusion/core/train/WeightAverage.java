package dev.transfusion.core.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An exponential moving average of the weights, which samples better than the raw weights of a short,
 * noisy run (the shapes calibration evaluated EMA weights). The decay warms up as
 * min(decay, (1 + n) / (10 + n)) so that early averages are not dominated by the initial weights.
 */
public final class WeightAverage {
    private final double decay;
    private final Map<String, INDArray> average = new LinkedHashMap<>();
    private long updates;

    /** An average with the given decay (e.g. 0.998). */
    public WeightAverage(double decay) {
        this.decay = decay;
    }

    /** Folds the current weights in. */
    public void update(Map<String, INDArray> params) {
        double d = Math.min(decay, (1.0 + updates) / (10.0 + updates));
        updates++;
        for (var e : params.entrySet()) {
            INDArray avg = average.get(e.getKey());
            if (avg == null) {
                average.put(e.getKey(), e.getValue().dup());
            } else {
                avg.muli(d).addi(e.getValue().mul(1 - d));
            }
        }
    }

    /** The averaged weights (live arrays). */
    public Map<String, INDArray> weights() {
        return average;
    }

    /** Updates folded in so far. */
    public long updates() {
        return updates;
    }

    /** Restores a saved average. */
    public void restore(long count, Map<String, INDArray> weights) {
        updates = count;
        average.clear();
        average.putAll(weights);
    }
}
