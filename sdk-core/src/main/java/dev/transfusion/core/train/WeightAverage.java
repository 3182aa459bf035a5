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
    private final Map<String, float[]> average = new LinkedHashMap<>();
    private long updates;

    /** An average with the given decay (e.g. 0.998). */
    public WeightAverage(double decay) {
        this.decay = decay;
    }

    /** Folds the current weights in. */
    public void update(Map<String, INDArray> params) {
        double d = Math.min(decay, (1.0 + updates) / (10.0 + updates));
        updates++;
        float keep = (float) d, take = (float) (1 - d);
        for (var e : params.entrySet()) {
            java.nio.FloatBuffer p = AdamW.buffer(e.getValue());
            float[] avg = average.get(e.getKey());
            if (avg == null) {
                avg = new float[p.limit()];
                p.get(0, avg);
                average.put(e.getKey(), avg);
            } else {
                for (int i = 0; i < avg.length; i++) {
                    avg[i] = keep * avg[i] + take * p.get(i);
                }
            }
        }
    }

    /** The averaged weights (live arrays). */
    public Map<String, float[]> weights() {
        return average;
    }

    /** Updates folded in so far. */
    public long updates() {
        return updates;
    }

    /** Restores a saved average. */
    public void restore(long count, Map<String, float[]> weights) {
        updates = count;
        average.clear();
        weights.forEach((k, a) -> average.put(k, a.clone()));
    }
}
