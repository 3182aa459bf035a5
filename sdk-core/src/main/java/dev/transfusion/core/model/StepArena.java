package dev.transfusion.core.model;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.samediff.internal.memory.AbstractMemoryMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.BaseNDArray;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The memory of one training step's gradient function, reused from step to step: every array the step
 * allocates comes from a pool keyed by type, order and shape, and goes back to the pool when SameDiff
 * releases it or, at the latest, when the next step begins ({@link #reclaim}).
 *
 * <p>Why: SameDiff's own array cache, when it is on, releases only about three quarters of a training
 * step's arrays (measured: 168 of 664 allocations a step missed it on the bench config), so each step
 * allocated ~150 MB of fresh native memory, zero-filled page by page, and freed it only when the Java
 * garbage collector happened to run. The price of reclaiming at the next step: arrays a step returns
 * (losses, gradients) are valid until the next step, no longer; {@link GradientFunction} says so.
 *
 * <p>One arena belongs to one session, which SameDiff keeps per thread; not thread-safe.
 */
final class StepArena extends AbstractMemoryMgr {
    private final Map<Key, ArrayDeque<INDArray>> free = new HashMap<>();
    private final Set<INDArray> inUse = Collections.newSetFromMap(new IdentityHashMap<>());

    private record Key(DataType type, char order, long[] shape) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.type == type && k.order == order && Arrays.equals(k.shape, shape);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * type.hashCode() + order) + Arrays.hashCode(shape);
        }
    }

    /** Takes back every array handed out since the last call: the previous step's results are dead now. */
    void reclaim() {
        for (INDArray a : inUse) {
            pool(a).push(a);
        }
        inUse.clear();
    }

    @Override
    public INDArray allocate(boolean detached, DataType dataType, long... shape) {
        return take(new Key(dataType, 'c', shape.clone()));
    }

    @Override
    public INDArray allocate(boolean detached, LongShapeDescriptor descriptor) {
        if (descriptor.isEmpty()) {
            return Nd4j.create(descriptor);  // no buffer to reuse
        }
        return take(new Key(descriptor.dataType(), descriptor.getOrder(), descriptor.getShape().clone()));
    }

    private INDArray take(Key key) {
        ArrayDeque<INDArray> pool = free.get(key);
        INDArray a = pool == null ? null : pool.poll();
        while (a != null && a.wasClosed()) {
            a = pool.poll();
        }
        if (a == null) {
            a = Nd4j.createUninitializedDetached(key.type, key.order, key.shape);
        } else {
            // SameDiff tracks arrays by id: a reused buffer must look like a new array
            ((BaseNDArray) a).assignNewId();
        }
        inUse.add(a);
        return a;
    }

    @Override
    public void release(INDArray array) {
        // arrays this arena did not allocate (placeholders, views) stay with their owners
        if (inUse.remove(array)) {
            pool(array).push(array);
        }
    }

    private ArrayDeque<INDArray> pool(INDArray a) {
        return free.computeIfAbsent(new Key(a.dataType(), a.ordering(), a.shape()), k -> new ArrayDeque<>());
    }

    @Override
    public void close() {
        reclaim();
        free.values().forEach(pool -> pool.forEach(INDArray::close));
        free.clear();
    }
}
