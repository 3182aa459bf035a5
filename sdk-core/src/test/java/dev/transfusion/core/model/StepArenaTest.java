package dev.transfusion.core.model;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.factory.Nd4j;

class StepArenaTest {
    @Test
    void arraysInUseAreDistinctAndComeBackAfterReclaim() {
        StepArena arena = new StepArena();
        INDArray a = arena.allocate(false, DataType.FLOAT, 4, 3);
        INDArray b = arena.allocate(false, DataType.FLOAT, 4, 3);
        assertNotSame(a, b);
        long oldA = a.getId(), oldB = b.getId();
        arena.reclaim();
        INDArray c = arena.allocate(false, DataType.FLOAT, 4, 3);
        INDArray d = arena.allocate(false, DataType.FLOAT, 4, 3);
        assertTrue((c == a && d == b) || (c == b && d == a), "both arrays come back after reclaim");
        assertNotEquals(oldA, a.getId(), "a reused array gets a new id, as SameDiff tracks arrays by id");
        assertNotEquals(oldB, b.getId());
        assertNotSame(c, arena.allocate(false, DataType.FLOAT, 4, 3), "a third array while two are in use is new");
    }

    @Test
    void aReleasedArrayIsReusedWithinTheStepButOnlyForItsTypeOrderAndShape() {
        StepArena arena = new StepArena();
        INDArray a = arena.allocate(false, LongShapeDescriptor.fromShape(new long[] {2, 5}, DataType.FLOAT));
        arena.release(a);
        assertNotSame(a, arena.allocate(false, DataType.FLOAT, 5, 2));
        assertNotSame(a, arena.allocate(false, DataType.DOUBLE, 2, 5));
        assertNotSame(a, arena.allocate(false, LongShapeDescriptor.fromShape(new long[] {2, 5}, new long[] {1, 2}, 0, 'f', DataType.FLOAT, false)));
        assertSame(a, arena.allocate(false, DataType.FLOAT, 2, 5));
    }

    @Test
    void arraysItDidNotAllocateAreLeftAlone() {
        StepArena arena = new StepArena();
        INDArray placeholder = Nd4j.ones(DataType.FLOAT, 3, 3);
        arena.release(placeholder);
        assertNotSame(placeholder, arena.allocate(false, DataType.FLOAT, 3, 3));
        assertFalse(placeholder.wasClosed());
    }

    @Test
    void closedArraysAreNeverHandedOut() {
        StepArena arena = new StepArena();
        INDArray a = arena.allocate(false, DataType.FLOAT, 8);
        arena.reclaim();
        a.close();
        INDArray b = arena.allocate(false, DataType.FLOAT, 8);
        assertNotSame(a, b);
        assertFalse(b.wasClosed());
    }
}
